using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>A per-element term summed over rows: f(x, y, μ) at every vector width.</summary>
internal interface IRowTerm
{
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> mu);
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> mu);
    float Invoke(float x, float y, float mu);
}

/// <summary>x.</summary>
internal readonly struct ValueTerm : IRowTerm
{
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> mu) => x;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> mu) => x;
    public float Invoke(float x, float y, float mu) => x;
}

/// <summary>(x − μ)².</summary>
internal readonly struct SquaredDeviationTerm : IRowTerm
{
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> mu) { var d = x - mu; return d * d; }
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> mu) { var d = x - mu; return d * d; }
    public float Invoke(float x, float y, float mu) { float d = x - mu; return d * d; }
}

/// <summary>y (the incoming gradient, when x is the layer input).</summary>
internal readonly struct GradientTerm : IRowTerm
{
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> mu) => y;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> mu) => y;
    public float Invoke(float x, float y, float mu) => y;
}

/// <summary>y·(x − μ) (y is the incoming gradient).</summary>
internal readonly struct GradientDeviationTerm : IRowTerm
{
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> mu) => y * (x - mu);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> mu) => y * (x - mu);
    public float Invoke(float x, float y, float mu) => y * (x - mu);
}

/// <summary>
/// acc[j] = Σ_r f(x[r·stride + j], y[r·stride + j], μ[j]) for j &lt; length: rows are added as
/// float vectors in blocks of <see cref="Block"/> and each block is added to the double
/// accumulator, so long batches keep float precision without a double per element.
/// </summary>
internal static unsafe class RowAccumulator
{
    public const int Block = 64;

    /// <param name="term">The per-element term f(x, y, μ).</param>
    /// <param name="x">First input rows.</param>
    /// <param name="y">Second input rows (ignored by terms that do not read it).</param>
    /// <param name="stride">Floats from one row to the next.</param>
    /// <param name="rows">Rows to add.</param>
    /// <param name="length">Elements per row (and of <paramref name="acc"/>).</param>
    /// <param name="mu">Per-column μ (ignored by terms that do not read it).</param>
    /// <param name="acc">Double sums, added to.</param>
    /// <param name="block">Float scratch of <paramref name="length"/> elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sum<TTerm>(TTerm term, float* x, float* y, long stride, int rows, int length,
        float* mu, double* acc, float* block) where TTerm : struct, IRowTerm
    {
        // Positions in L1-sized chunks, all rows per chunk: the running sums and μ stay in L1
        // while the rows stream past.
        for (int j0 = 0; j0 < length; j0 += Chunk)
        {
            int n = Math.Min(Chunk, length - j0);
            new Span<double>(acc + j0, n).Clear();
            for (int r0 = 0; r0 < rows; r0 += Block)
            {
                int r1 = Math.Min(r0 + Block, rows);
                float* b = block + j0;
                new Span<float>(b, n).Clear();
                for (int r = r0; r < r1; r++)
                    Add(term, x + r * stride + j0, y + r * stride + j0, mu + j0, b, n);
                SimdMath.AddInPlace(acc + j0, b, n);
            }
        }
    }

    /// <summary>Two sums in one pass over the rows (each term into its own block and accumulator).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sum2<T1, T2>(T1 term1, T2 term2, float* x, float* y, long stride, int rows, int length,
        float* mu, double* acc1, double* acc2, float* block1, float* block2)
        where T1 : struct, IRowTerm where T2 : struct, IRowTerm
    {
        for (int j0 = 0; j0 < length; j0 += Chunk)
        {
            int n = Math.Min(Chunk, length - j0);
            new Span<double>(acc1 + j0, n).Clear();
            new Span<double>(acc2 + j0, n).Clear();
            for (int r0 = 0; r0 < rows; r0 += Block)
            {
                int r1 = Math.Min(r0 + Block, rows);
                float* b1 = block1 + j0, b2 = block2 + j0;
                new Span<float>(b1, n).Clear();
                new Span<float>(b2, n).Clear();
                for (int r = r0; r < r1; r++)
                {
                    Add(term1, x + r * stride + j0, y + r * stride + j0, mu + j0, b1, n);
                    Add(term2, x + r * stride + j0, y + r * stride + j0, mu + j0, b2, n);
                }
                SimdMath.AddInPlace(acc1 + j0, b1, n);
                SimdMath.AddInPlace(acc2 + j0, b2, n);
            }
        }
    }

    /// <summary>Floats per chunk of positions (4 KiB of sums, 4 KiB of μ).</summary>
    public const int Chunk = 1024;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<TTerm>(TTerm term, float* xr, float* yr, float* mu, float* block, int n) where TTerm : struct, IRowTerm
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - 16; j += 16)
                (Vector512.Load(block + j) + term.Invoke(Vector512.Load(xr + j), Vector512.Load(yr + j), Vector512.Load(mu + j))).Store(block + j);
        for (; j <= n - 8; j += 8)
            (Vector256.Load(block + j) + term.Invoke(Vector256.Load(xr + j), Vector256.Load(yr + j), Vector256.Load(mu + j))).Store(block + j);
        for (; j < n; j++)
            block[j] += term.Invoke(xr[j], yr[j], mu[j]);
    }
}
