using CnnNative.Tests.Conformance;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>The whole conformance suite on the opencl provider (pocl on a machine without a GPU).</summary>
[ProviderUnderTest("opencl")]
public sealed class OpenClConformanceTests(ProviderFixture fixture) : ProviderConformanceTests(fixture);
