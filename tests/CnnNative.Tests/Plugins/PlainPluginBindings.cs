using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Nn;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Plugins;

// The sample plugin runs the same layer and training suites as the built-ins: a provider that
// implements only the minimal core trains a network through the base class's defaults.

[ProviderUnderTest("plain")]
public sealed class PlainLayerTests(ProviderFixture fixture) : ProviderLayerTests(fixture);

[ProviderUnderTest("plain")]
public sealed class PlainTrainingTests(ProviderFixture fixture) : ProviderTrainingTests(fixture);
