using System.Runtime.CompilerServices;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// dst[b, j, i] = src[b, i, j] for a batch of rows×cols matrices. Items are bands of about
/// <see cref="Band"/> source rows (batch-major), so even one large matrix splits across threads.
/// A band is copied in 8×8 register transposes; when rows or columns are not a multiple of 8 the
/// last block steps back to overlap the one before (a copy rewrites the same values), so there
/// is no scalar edge loop. The final band of a matrix absorbs the leftover rows, so every band
/// has at least 8 rows when the matrix does and the overlap never leaves the band.
/// With <see cref="Bias"/> set, dst[b, j, i] also gets bias[j] (the convolution's forward epilogue):
/// the overlapping blocks still only rewrite the same values, since each is computed from src.
/// </summary>
internal sealed unsafe class TransposeWork : RangeWork
{
    public const int Band = 32;

    public float* Src, Dst;

    /// <summary>Added along the destination rows (one value per source column), or null for a plain transpose.</summary>
    public float* Bias;
    public int Rows, Cols;

    public int BandsPerMatrix => Math.Max(1, Rows / Band);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void ExecuteRange(int start, int end)
    {
        int bands = BandsPerMatrix, rows = Rows, cols = Cols;
        long matrix = (long)rows * cols;
        for (int item = start; item < end; item++)
        {
            int b = item / bands, band = item % bands;
            int i0 = band * Band, i1 = band == bands - 1 ? rows : i0 + Band;
            float* src = Src + b * matrix, dst = Dst + b * matrix, bias = Bias;
            if (TransposeKernels.Accelerated && i1 - i0 >= 8 && cols >= 8)
            {
                for (int i = i0; ; i = Math.Min(i + 8, i1 - 8))
                {
                    for (int j = 0; ; j = Math.Min(j + 8, cols - 8))
                    {
                        TransposeKernels.Block8(src + (long)i * cols + j, cols, dst + (long)j * rows + i, rows, bias == null ? null : bias + j);
                        if (j == cols - 8) break;
                    }
                    if (i == i1 - 8) break;
                }
                continue;
            }
            for (int i = i0; i < i1; i++)
            {
                float* s = src + (long)i * cols;
                if (bias == null)
                    for (int j = 0; j < cols; j++) dst[(long)j * rows + i] = s[j];
                else
                    for (int j = 0; j < cols; j++) dst[(long)j * rows + i] = s[j] + bias[j];
            }
        }
    }
}
