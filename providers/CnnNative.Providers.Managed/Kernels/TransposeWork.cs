using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// dst[b, j, i] = src[b, i, j] for a batch of rows×cols matrices. Items are bands of
/// <see cref="Band"/> source rows (batch-major), so even one large matrix splits across threads;
/// each band is copied in square tiles that stay in L1 on both sides.
/// </summary>
internal sealed unsafe class TransposeWork : RangeWork
{
    public const int Band = 32;
    private const int Tile = 32;

    public float* Src, Dst;
    public int Rows, Cols;

    public int BandsPerMatrix => (Rows + Band - 1) / Band;

    protected override void ExecuteRange(int start, int end)
    {
        int bands = BandsPerMatrix;
        long matrix = (long)Rows * Cols;
        for (int item = start; item < end; item++)
        {
            int b = item / bands;
            int i0 = item % bands * Band, i1 = Math.Min(i0 + Band, Rows);
            float* src = Src + b * matrix, dst = Dst + b * matrix;
            for (int j0 = 0; j0 < Cols; j0 += Tile)
            {
                int j1 = Math.Min(j0 + Tile, Cols);
                int i8 = i0, j8 = j0;
                if (TransposeKernels.Accelerated)
                {
                    // Whole 8×8 blocks in registers; the ragged right and bottom edges below.
                    i8 = i0 + (i1 - i0) / 8 * 8;
                    j8 = j0 + (j1 - j0) / 8 * 8;
                    for (int i = i0; i < i8; i += 8)
                        for (int j = j0; j < j8; j += 8)
                            TransposeKernels.Block8(src + (long)i * Cols + j, Cols, dst + (long)j * Rows + i, Rows);
                }
                for (int i = i0; i < i1; i++)
                {
                    float* s = src + (long)i * Cols;
                    // Rows already done in blocks only miss their columns from j8 on.
                    for (int j = i < i8 ? j8 : j0; j < j1; j++) dst[(long)j * Rows + i] = s[j];
                }
            }
        }
    }
}
