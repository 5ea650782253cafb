using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Nn;

[ProviderUnderTest("managed")]
public sealed class ManagedLayerTests(ProviderFixture fixture) : ProviderLayerTests(fixture);
