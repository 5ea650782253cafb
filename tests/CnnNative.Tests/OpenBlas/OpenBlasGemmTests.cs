using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using Microsoft.Extensions.Configuration;

using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenBlas;

/// <summary>
/// cblas_sgemm through the provider against a double-precision triple loop, for every
/// transpose combination, several alpha/beta, odd and degenerate shapes. Checks that the
/// leading dimensions we derive for row-major storage are right, that beta = 0 ignores NaN in
/// C, and that nothing past m×n in C is written.
/// </summary>
public sealed class OpenBlasGemmTests : IClassFixture<OpenBlasGemmTests.ProviderFixture>
{
    public sealed class ProviderFixture : IDisposable
    {
        private readonly Lazy<OpenBlasProvider> _provider = new(() =>
            (OpenBlasProvider)new OpenBlasProviderFactory().Create(new ConfigurationBuilder().Build()));

        public OpenBlasProvider Provider => _provider.Value;

        public void Dispose()
        {
            if (_provider.IsValueCreated) _provider.Value.Dispose();
        }
    }

    private readonly ProviderFixture _fixture;

    public OpenBlasGemmTests(ProviderFixture fixture) => _fixture = fixture;

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 1 }, { 5, 1, 3 }, { 1, 1, 33 }, { 3, 5, 7 }, { 17, 13, 1 },
        { 16, 16, 16 }, { 31, 33, 35 }, { 64, 10, 100 }, { 100, 30, 25 }, { 129, 67, 258 },
    };

    [ProviderTheory("openblas")]
    [MemberData(nameof(Shapes))]
    public void MatchesTheReferenceForEveryTransposeAlphaAndBeta(int m, int n, int k)
    {
        var p = _fixture.Provider;
        var random = new Random(m * 7919 + n * 104729 + k);
        foreach (var ta in new[] { Transpose.NoTranspose, Transpose.Transpose })
        foreach (var tb in new[] { Transpose.NoTranspose, Transpose.Transpose })
        foreach (var (alpha, beta) in new[] { (1f, 0f), (0.5f, 1f), (-2f, -0.75f), (1.5f, 0f) })
            Check(p, random, ta, tb, m, n, k, alpha, beta);
    }

    [ProviderFact("openblas")]
    public void ALargeProductUsesEveryThreadAndStaysCorrect()
    {
        var random = new Random(5);
        Check(_fixture.Provider, random, Transpose.NoTranspose, Transpose.Transpose, 300, 260, 400, 1f, 0f);
        Check(_fixture.Provider, random, Transpose.Transpose, Transpose.NoTranspose, 257, 300, 333, 1f, 1f);
    }

    [ProviderFact("openblas")]
    public void BadArgumentsAreRejectedBeforeOpenBlasSeesThem()
    {
        var p = _fixture.Provider;
        using var a = p.Allocate(new TensorShape(2, 3));
        using var b = p.Allocate(new TensorShape(3, 4));
        using var c = p.Allocate(new TensorShape(2, 4));
        var e = Assert.Throws<TensorShapeException>(() =>
            p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 2, 4, 5, 1f, a, b, 0f, c));
        Assert.Equal("a", e.ParamName);
        Assert.Throws<TensorOverlapException>(() =>
            p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 2, 2, 2, 1f, a, b, 0f, a));
    }

    private static void Check(OpenBlasProvider p, Random random, Transpose ta, Transpose tb,
        int m, int n, int k, float alpha, float beta)
    {
        const int Spare = 9; // C is longer than m×n: the tail must come back untouched
        float[] a = Values(random, m * k), b = Values(random, k * n);
        float[] c0 = beta == 0f ? Filled(m * n + Spare, float.NaN) : Values(random, m * n + Spare);
        for (int i = m * n; i < c0.Length; i++) c0[i] = 12345f;

        using var ta_ = p.Allocate(new TensorShape(a.Length));
        using var tb_ = p.Allocate(new TensorShape(b.Length));
        using var tc = p.Allocate(new TensorShape(c0.Length));
        p.Upload(a, ta_); p.Upload(b, tb_); p.Upload(c0, tc);

        p.Gemm(ta, tb, m, n, k, alpha, ta_, tb_, beta, tc);
        var c = new float[c0.Length];
        p.Download(tc, c);

        string where = $"{ta}/{tb} m={m} n={n} k={k} alpha={alpha} beta={beta}";
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0, magnitude = 0;
            for (int l = 0; l < k; l++)
            {
                double x = ta == Transpose.NoTranspose ? a[i * k + l] : a[l * m + i];
                double y = tb == Transpose.NoTranspose ? b[l * n + j] : b[j * k + l];
                sum += x * y;
                magnitude += Math.Abs(x * y);
            }
            double old = beta == 0f ? 0 : beta * (double)c0[i * n + j]; // beta = 0: C's NaN must not leak in
            double expected = alpha * sum + old;
            // The classic GEMM rounding bound, (k + 2)·u·(|α|Σ|a·b| + |β·c|), with room for blocking order.
            double bound = 2 * (k + 2) * 6e-8 * (Math.Abs(alpha) * magnitude + Math.Abs(old)) + 1e-30;
            double actual = c[i * n + j];
            Assert.True(Math.Abs(actual - expected) <= bound,
                $"{where}: C[{i},{j}] = {actual}, expected {expected} (bound {bound:E2})");
        }
        for (int i = m * n; i < c.Length; i++)
            Assert.True(c[i] == 12345f, $"{where}: C[{i}] past m×n was written ({c[i]})");
    }

    private static float[] Values(Random random, int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }

    private static float[] Filled(int count, float value)
    {
        var v = new float[count];
        Array.Fill(v, value);
        return v;
    }
}
