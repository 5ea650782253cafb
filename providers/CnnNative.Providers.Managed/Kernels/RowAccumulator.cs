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

    /// <param name="block">Float scratch of <paramref name="length"/> elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sum<TTerm>(TTerm term, float* x, float* y, long stride, int rows, int length,
        float* mu, double* acc, float* block) where TTerm : struct, IRowTerm
    {
        new Span<double>(acc, length).Clear();
        for (int r0 = 0; r0 < rows; r0 += Block)
        {
            int r1 = Math.Min(r0 + Block, rows);
            new Span<float>(block, length).Clear();
            for (int r = r0; r < r1; r++)
            {
                float* xr = x + r * stride, yr = y + r * stride;
                int j = 0;
                if (Vector512.IsHardwareAccelerated)
                    for (; j <= length - 16; j += 16)
                        (Vector512.Load(block + j) + term.Invoke(Vector512.Load(xr + j), Vector512.Load(yr + j), Vector512.Load(mu + j))).Store(block + j);
                for (; j <= length - 8; j += 8)
                    (Vector256.Load(block + j) + term.Invoke(Vector256.Load(xr + j), Vector256.Load(yr + j), Vector256.Load(mu + j))).Store(block + j);
                for (; j < length; j++)
                    block[j] += term.Invoke(xr[j], yr[j], mu[j]);
            }
            SimdMath.AddInPlace(acc, block, length);
        }
    }
}
