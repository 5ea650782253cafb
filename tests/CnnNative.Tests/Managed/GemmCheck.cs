using CnnNative.Core;

namespace CnnNative.Tests.Managed;

/// <summary>Runs one GEMM on a provider and compares every element with a double-precision triple loop.</summary>
internal static class GemmCheck
{
    public static void Run(IComputeProvider provider, Transpose ta, Transpose tb, int m, int n, int k,
        float alpha, float beta, int seed, float? fillC = null)
    {
        var rng = new Random(seed);
        float[] a = Random(rng, m * k), b = Random(rng, k * n);
        float[] c0 = fillC is float f ? Enumerable.Repeat(f, m * n).ToArray() : Random(rng, m * n);

        using var ta_ = provider.Allocate(new TensorShape(m * k));
        using var tb_ = provider.Allocate(new TensorShape(k * n));
        using var tc = provider.Allocate(new TensorShape(m * n));
        provider.Upload(a, ta_);
        provider.Upload(b, tb_);
        provider.Upload(c0, tc);
        provider.Gemm(ta, tb, m, n, k, alpha, ta_, tb_, beta, tc);
        var c = new float[m * n];
        provider.Download(tc, c);

        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta == Transpose.NoTranspose ? a[i * k + p] : a[p * m + i];
                    double bv = tb == Transpose.NoTranspose ? b[p * n + j] : b[j * k + p];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }
                double old = beta == 0 ? 0 : beta * (double)c0[i * n + j];
                double expected = alpha * sum + old;
                double scale = Math.Abs(alpha) * magnitude + Math.Abs(old);
                // Float accumulation error grows at most linearly with k; a skipped or doubled
                // term is off by about scale/k, far above this bound.
                double tolerance = (2.5e-7 * Math.Min(k, 1024) + 1e-6) * scale + 1e-6;
                double actual = c[i * n + j];
                if (!(Math.Abs(actual - expected) <= tolerance))
                    Assert.Fail($"{ta}/{tb} m={m} n={n} k={k} alpha={alpha} beta={beta}: C[{i},{j}] = {actual}, expected {expected} (±{tolerance:g3}).");
            }
    }

    private static float[] Random(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }
}
