using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using CnnNative.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.OpenBlas;

/// <summary>The cblas_sgemm call path (validation, thread check, P/Invoke) allocates nothing when warm.</summary>
public sealed class OpenBlasAllocationTests
{
    [ProviderFact("openblas")]
    public void WarmGemmAllocatesNothing()
    {
        using var p = (OpenBlasProvider)new OpenBlasProviderFactory().Create(new ConfigurationBuilder().Build());
        using var a = p.Allocate(new TensorShape(5760, 25));
        using var b = p.Allocate(new TensorShape(30, 25));
        using var c = p.Allocate(new TensorShape(5760, 30));
        p.Fill(a, 0.5f); p.Fill(b, 0.25f);

        void Step()
        {
            p.Gemm(Transpose.NoTranspose, Transpose.Transpose, 5760, 30, 25, 1f, a, b, 0f, c);
            p.Gemm(Transpose.Transpose, Transpose.NoTranspose, 30, 25, 5760, 1f, c, a, 0f, b);
        }

        for (int i = 0; i < 3; i++) Step();
        Assert.Equal(0, SteadyStateAllocation.Measure(() => { for (int i = 0; i < 10; i++) Step(); }).CallingThread);
    }
}
