using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

internal enum BiasKind { AddRowBias, AddChannelBias, SumChannels }

/// <summary>
/// Bias addition and the per-channel bias gradient. Items are rows (row bias), planes
/// n·C + c (channel bias) or channels (channel sums, so each item owns its output and pieces
/// never share a sum).
/// </summary>
internal sealed unsafe class BiasWork : RangeWork
{
    public BiasKind Kind;
    public float* X, Bias;
    public int Batch, Channels, Spatial, Cols;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void ExecuteRange(int start, int end)
    {
        switch (Kind)
        {
            case BiasKind.AddRowBias:
                for (int r = start; r < end; r++) SimdMath.AddInPlace(X + (long)r * Cols, Bias, Cols);
                break;
            case BiasKind.AddChannelBias:
                for (int plane = start; plane < end; plane++)
                {
                    var span = new Span<float>(X + (long)plane * Spatial, Spatial);
                    TensorPrimitives.Add(span, Bias[plane % Channels], span);
                }
                break;
            case BiasKind.SumChannels:
                for (int c = start; c < end; c++)
                {
                    double sum = 0;
                    for (int n = 0; n < Batch; n++) sum += SimdMath.Sum(X + ((long)n * Channels + c) * Spatial, Spatial);
                    Bias[c] = (float)sum;
                }
                break;
            default:
                throw new InvalidOperationException("Unknown bias kernel " + Kind.ToString());
        }
    }
}

/// <summary>
/// db[j] = Σ_r dy[r, j]: each piece sums a band of rows into its own double accumulator
/// (float blocks of 64 rows, added in double so that 57600 rows keep full float precision);
/// the caller adds the pieces.
/// </summary>
internal sealed unsafe class SumRowsWork(NativeScratch[] scratch) : IParallelWork, IPartialSums
{
    private const int Block = 64;

    public float* Dy;
    public int Rows, Cols;

    /// <summary>The double partial sums of piece <paramref name="part"/> (valid after a run).</summary>
    public double* Partial(int part) => scratch[part].Get<double>(Cols + (Cols + 1) / 2 + 16);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int parts)
    {
        var (r0, r1) = RangeWork.Chunk(Rows, part, parts);
        int cols = Cols;
        double* acc = Partial(part);
        float* block = (float*)(acc + cols); // after the doubles, inside the same slot
        new Span<double>(acc, cols).Clear();
        for (int r = r0; r < r1; r += Block)
        {
            int end = Math.Min(r + Block, r1);
            new Span<float>(block, cols).Clear();
            for (int i = r; i < end; i++) SimdMath.AddInPlace(block, Dy + (long)i * cols, cols);
            SimdMath.AddInPlace(acc, block, cols);
        }
    }
}
