using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// GEMM against a double-precision loop over shapes that hit every path of the kernel:
/// sizes below, at and across the tile and vector widths, both transposes, packing of B,
/// split K, alpha/beta, and beta = 0 over a C full of NaN. Run once with the blocking this
/// device gets by default and once per staged (GPU-style) blocking, so the local-memory
/// path is verified even where no GPU is present.
/// </summary>
public abstract class OpenClGemmTestsBase
{
    protected abstract OpenClProvider P { get; }

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 7, 5, 3 },
        { 16, 16, 16 },
        { 33, 17, 65 },
        { 64, 64, 64 },
        { 97, 31, 129 },
        { 5, 200, 7 },
        { 300, 2, 17 },
        { 193, 33, 1 },
        { 2000, 30, 25 },   // conv forward shape (long M, tiny N and K)
        { 30, 25, 2000 },   // conv weight gradient (tiny M·N, long K: split K)
        { 1, 97, 600 },
    };

    [ProviderTheory("opencl")]
    [MemberData(nameof(Shapes))]
    public void Matches_the_reference_for_every_transpose(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Check(ta, tb, m, n, k, alpha: 1f, beta: 0f);
    }

    [ProviderTheory("opencl")]
    [InlineData(0.5f, 2f)]
    [InlineData(-1.25f, 1f)]
    [InlineData(2f, -0.5f)]
    public void Alpha_and_beta_scale_the_product_and_the_old_C(float alpha, float beta)
    {
        Check(false, false, 37, 45, 19, alpha, beta);
        Check(true, true, 70, 3, 40, alpha, beta);
        Check(true, false, 30, 25, 1500, alpha, beta);   // split K applies beta once, in the reduction
    }

    [ProviderFact("opencl")]
    public void Beta_zero_ignores_NaN_in_C()
    {
        int m = 21, n = 35, k = 9;
        var a = HostData.Random(m * k, 1);
        var b = HostData.Random(k * n, 2);
        var nan = new float[m * n];
        Array.Fill(nan, float.NaN);
        using var ta = HostData.Put(P, a);
        using var tb = HostData.Put(P, b);
        using var tc = HostData.Put(P, nan);
        P.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, m, n, k, 1f, ta, tb, 0f, tc);
        var expected = HostReference.Gemm(false, false, m, n, k, 1, a, b, 0, nan);
        HostData.Near(expected, HostData.Get(P, tc), atol: 1e-5 * k, rtol: 1e-5, what: "C");
    }

    [ProviderFact("opencl")]
    public void Only_the_m_by_n_block_of_a_longer_C_is_written()
    {
        int m = 5, n = 7, k = 3;
        using var a = HostData.Put(P, HostData.Random(m * k, 3));
        using var b = HostData.Put(P, HostData.Random(k * n, 4));
        var tail = HostData.Random(100, 5);
        using var c = HostData.Put(P, tail);
        P.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, m, n, k, 1f, a, b, 0f, c);
        Assert.Equal(tail[(m * n)..], HostData.Get(P, c)[(m * n)..]);
    }

    [ProviderFact("opencl")]
    public void Repeated_calls_with_changing_shapes_reuse_scratch_correctly()
    {
        // The packed-B and split-K buffers grow and are reused; results must not leak between calls.
        Check(false, true, 40, 20, 700, 1f, 0f);
        Check(false, true, 40, 60, 1400, 1f, 0f);
        Check(false, true, 40, 20, 700, 1f, 0f);
    }

    private void Check(bool ta, bool tb, int m, int n, int k, float alpha, float beta) => CheckOn(P, ta, tb, m, n, k, alpha, beta);

    /// <summary>One product on <paramref name="p"/> against the double-precision loop; <paramref name="label"/> names the blocking in a failure.</summary>
    internal static void CheckOn(OpenClProvider p, bool ta, bool tb, int m, int n, int k, float alpha, float beta, string label = "")
    {
        var a = HostData.Random(m * k, 10 + m);
        var b = HostData.Random(k * n, 20 + n);
        var c = HostData.Random(m * n, 30 + k);
        using var da = HostData.Put(p, a);
        using var db = HostData.Put(p, b);
        using var dc = HostData.Put(p, c);
        p.Gemm(ta ? Transpose.Transpose : Transpose.NoTranspose, tb ? Transpose.Transpose : Transpose.NoTranspose,
            m, n, k, alpha, da, db, beta, dc);
        var expected = HostReference.Gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
        HostData.Near(expected, HostData.Get(p, dc), atol: 2e-6 * k + 1e-6, rtol: 1e-5, what: $"{label}C ({(ta ? "T" : "N")}{(tb ? "T" : "N")} {m}×{n}×{k})");
    }
}

/// <summary>The device's default blocking (on pocl: the direct CPU path).</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmTests(OpenClProviderFixture fixture) : OpenClGemmTestsBase
{
    protected override OpenClProvider P => fixture.Provider;
}

/// <summary>The GPU blocking (A and B staged in local memory, GPU launch shapes), with small tiles so test shapes span several.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmStagedTests(OpenClStagedGemmFixture fixture) : OpenClGemmTestsBase, IClassFixture<OpenClStagedGemmFixture>
{
    protected override OpenClProvider P => fixture.BothStaged;
}

/// <summary>B staged in local memory, rows of A read from global memory.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmStagedBTests(OpenClStagedGemmFixture fixture) : OpenClGemmTestsBase, IClassFixture<OpenClStagedGemmFixture>
{
    protected override OpenClProvider P => fixture.OnlyBStaged;
}

public sealed class OpenClStagedGemmFixture : IDisposable
{
    private readonly Lazy<OpenClProvider> _both = new(() =>
        new OpenClProviderFactory().Create(new OpenClOptions(), "TM=32,TN=32,TK=8,WM=4,WN=8,VW=4,SA=1,SB=1", kernelStyle: "gpu"));
    private readonly Lazy<OpenClProvider> _onlyB = new(() =>
        new OpenClProviderFactory().Create(new OpenClOptions(), "TM=16,TN=32,TK=8,WM=2,WN=8,VW=2,SA=0,SB=1"));

    /// <summary>GPU kernel forms and launch shapes, GEMM with both operands staged.</summary>
    public OpenClProvider BothStaged => _both.Value;

    public OpenClProvider OnlyBStaged => _onlyB.Value;

    public void Dispose()
    {
        if (_both.IsValueCreated) _both.Value.Dispose();
        if (_onlyB.IsValueCreated) _onlyB.Value.Dispose();
    }
}
