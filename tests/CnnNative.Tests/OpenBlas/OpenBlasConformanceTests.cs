using CnnNative.Tests.Conformance;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenBlas;

/// <summary>The whole conformance suite on the openblas provider (cblas_sgemm plus the managed kernels).</summary>
[ProviderUnderTest("openblas")]
public sealed class OpenBlasConformanceTests(ProviderFixture fixture) : ProviderConformanceTests(fixture);
