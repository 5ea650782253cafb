using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Nn;

[ProviderUnderTest("openblas")]
public sealed class OpenBlasLayerTests(ProviderFixture fixture) : ProviderLayerTests(fixture);
