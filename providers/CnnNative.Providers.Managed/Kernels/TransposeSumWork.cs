using System.Runtime.CompilerServices;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// dst[b, j, i] = src[b, i, j] and the source row sums Σ_{b, j} src[b, i, j] (the convolution's
/// backward prologue: dy [N, C, H·W] → dyT [N·H·W, C] plus the bias gradient). Pieces split the
/// batch, so no two threads write the same destination cache lines; each sums a matrix's rows
/// right after transposing it, while it is still in cache, into its own double partials that the
/// caller adds (the same float-run-then-double summation as the channel sums).
/// </summary>
internal sealed unsafe class TransposeSumWork(NativeScratch[] scratch) : IParallelWork, IPartialSums
{
    public float* Src, Dst;
    public int Batch, Rows, Cols;

    /// <summary>The double row sums of piece <paramref name="part"/> (valid after a run).</summary>
    public double* Partial(int part) => scratch[part].Get<double>(Rows);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int parts)
    {
        var (b0, b1) = RangeWork.Chunk(Batch, part, parts);
        int rows = Rows, cols = Cols;
        long matrix = (long)rows * cols;
        double* acc = Partial(part);
        new Span<double>(acc, rows).Clear();
        bool blocked = TransposeKernels.Accelerated && rows >= 8 && cols >= 8;
        for (int b = b0; b < b1; b++)
        {
            float* src = Src + b * matrix, dst = Dst + b * matrix;
            if (blocked)
                TransposeKernels.Matrix(src, rows, cols, dst);
            else
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) dst[(long)j * rows + i] = src[(long)i * cols + j];
            for (int i = 0; i < rows; i++) acc[i] += SimdMath.Sum(src + (long)i * cols, cols);
        }
    }
}
