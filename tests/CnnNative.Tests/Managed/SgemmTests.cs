using CnnNative.Core;
using CnnNative.Providers.Managed;

namespace CnnNative.Tests.Managed;

/// <summary>
/// Our SGEMM against a double-precision triple loop: odd sizes 1…257, all four transpose
/// combinations, alpha/beta, beta = 0 over a NaN-filled C, sizes past the cache blocks, and
/// both the Vector512 and the Vector256 kernels on one and two threads.
/// </summary>
public sealed class SgemmTests
{
    public static TheoryData<int, int, int> OddShapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 23, 31, 32, 33, 47, 63, 65, 97, 127, 129, 255, 257];
        var rng = new Random(1234);
        // Every size once in each position, the rest random: small enough to run in seconds.
        foreach (int s in sizes)
        {
            data.Add(s, sizes[rng.Next(sizes.Length)], sizes[rng.Next(sizes.Length)]);
            data.Add(sizes[rng.Next(sizes.Length)], s, sizes[rng.Next(sizes.Length)]);
            data.Add(sizes[rng.Next(sizes.Length)], sizes[rng.Next(sizes.Length)], s);
        }
        data.Add(1, 1, 1);
        data.Add(257, 257, 257);
        return data;
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Matches_naive_product_for_every_transpose(int m, int n, int k)
    {
        using var provider = new ManagedProvider(2);
        foreach (var ta in new[] { Transpose.NoTranspose, Transpose.Transpose })
            foreach (var tb in new[] { Transpose.NoTranspose, Transpose.Transpose })
                GemmCheck.Run(provider, ta, tb, m, n, k, alpha: 1f, beta: 0f, seed: m * 1000 + n * 10 + k);
    }

    [Theory]
    [InlineData(512, 1)]
    [InlineData(512, 2)]
    [InlineData(256, 1)]
    [InlineData(256, 2)]
    public void Alpha_beta_and_every_kernel_width(int simd, int threads)
    {
        using var provider = new ManagedProvider(threads, (SimdWidth)simd);
        (int M, int N, int K)[] shapes = [(37, 45, 53), (129, 33, 17), (5, 200, 301), (64, 64, 64), (300, 7, 3), (3, 5, 700)];
        float[] alphas = [1f, -0.5f, 2.25f];
        float[] betas = [0f, 1f, -1.5f];
        int seed = 0;
        foreach (var (m, n, k) in shapes)
            foreach (var ta in new[] { Transpose.NoTranspose, Transpose.Transpose })
                foreach (var tb in new[] { Transpose.NoTranspose, Transpose.Transpose })
                    GemmCheck.Run(provider, ta, tb, m, n, k, alphas[seed % 3], betas[seed / 3 % 3], seed++);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void Beta_zero_ignores_NaN_in_C(int simd)
    {
        using var provider = new ManagedProvider(2, (SimdWidth)simd);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (13, 17, 19), (100, 100, 300), (257, 31, 5) })
            foreach (var ta in new[] { Transpose.NoTranspose, Transpose.Transpose })
                foreach (var tb in new[] { Transpose.NoTranspose, Transpose.Transpose })
                    GemmCheck.Run(provider, ta, tb, m, n, k, 1.5f, 0f, seed: 7, fillC: float.NaN);
    }

    /// <summary>The network's shapes, past the cache blocks in every dimension, on both widths.</summary>
    [Theory]
    [InlineData(576, 30, 25, Transpose.NoTranspose, Transpose.Transpose)]   // conv forward: col·Wᵀ
    [InlineData(576, 25, 30, Transpose.NoTranspose, Transpose.NoTranspose)] // conv backward: dout·W
    [InlineData(30, 25, 2304, Transpose.Transpose, Transpose.NoTranspose)]  // weight gradient: doutᵀ·col
    [InlineData(25, 30, 2304, Transpose.Transpose, Transpose.NoTranspose)]
    [InlineData(100, 100, 1300, Transpose.NoTranspose, Transpose.NoTranspose)]
    [InlineData(70, 600, 300, Transpose.Transpose, Transpose.Transpose)]
    [InlineData(1100, 40, 600, Transpose.NoTranspose, Transpose.Transpose)]
    [InlineData(33, 1100, 70, Transpose.NoTranspose, Transpose.NoTranspose)]
    public void Network_and_blocking_shapes(int m, int n, int k, Transpose ta, Transpose tb)
    {
        foreach (var simd in new[] { SimdWidth.Vector512, SimdWidth.Vector256 })
        {
            using var provider = new ManagedProvider(2, simd);
            GemmCheck.Run(provider, ta, tb, m, n, k, 1f, 0f, seed: m + n + k);
            GemmCheck.Run(provider, ta, tb, m, n, k, 0.75f, 1f, seed: m + n + k + 1);
        }
    }

    /// <summary>
    /// The skinny long-K products: the result computed transposed (30×25 as 25×30) and B read in
    /// place (at most one tile wide), with alpha, beta and a NaN-filled C under beta 0, on one and
    /// two threads (a K split adds partial products of the transposed result).
    /// </summary>
    [Theory]
    [InlineData(30, 25, 3000)]
    [InlineData(25, 30, 3000)]
    [InlineData(17, 9, 2600)]
    [InlineData(12, 32, 2100)]
    public void Skinny_long_k_products_with_the_result_transposed_or_B_in_place(int m, int n, int k)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            using var provider = new ManagedProvider(threads);
            int seed = threads;
            foreach (var ta in new[] { Transpose.NoTranspose, Transpose.Transpose })
                foreach (var tb in new[] { Transpose.NoTranspose, Transpose.Transpose })
                {
                    GemmCheck.Run(provider, ta, tb, m, n, k, 2.25f, -1.5f, seed++);
                    GemmCheck.Run(provider, ta, tb, m, n, k, 0.5f, 0f, seed++, fillC: float.NaN);
                }
        }
    }

    [Fact]
    public void Single_thread_and_many_threads_agree_with_reference()
    {
        foreach (int threads in new[] { 1, 3, 5 })
        {
            using var provider = new ManagedProvider(threads);
            GemmCheck.Run(provider, Transpose.NoTranspose, Transpose.NoTranspose, 301, 77, 129, 1f, 0.5f, seed: threads);
            GemmCheck.Run(provider, Transpose.Transpose, Transpose.NoTranspose, 9, 11, 5000, 1f, 0f, seed: threads);
        }
    }
}
