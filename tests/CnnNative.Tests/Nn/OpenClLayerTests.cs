using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Nn;

[ProviderUnderTest("opencl")]
public sealed class OpenClLayerTests(ProviderFixture fixture) : ProviderLayerTests(fixture);
