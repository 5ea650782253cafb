using System.Runtime.CompilerServices;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// Runs the micro-kernel over one column panel for any number of rows up to the full tile:
/// the full tile, then 8/4/2/1-row (or 4/2/1 for Vector256) instantiations for the rest, so an
/// M edge costs only its own rows. Columns at or below one vector use the one-vector kernel.
/// </summary>
internal static unsafe class TileDispatch
{
    /// <summary>C[rows × cols] = alpha·A·B + beta·C for one column panel of packed B.</summary>
    /// <param name="simd">The vector width the kernels use.</param>
    /// <param name="rows">Rows of C to compute.</param>
    /// <param name="cols">Columns of C to compute (at most the panel's width).</param>
    /// <param name="kContiguous">A is untransposed and read in place (element (r, p) at a[r·stride + p]).</param>
    /// <param name="kc">Depth of this k block.</param>
    /// <param name="a">The A block: packed, or in place when <paramref name="kContiguous"/>.</param>
    /// <param name="stride">Row stride of an in-place A, in floats.</param>
    /// <param name="b">The packed B panel, or B itself when <paramref name="bStride"/> is not 0.</param>
    /// <param name="bStride">0: <paramref name="b"/> is a packed panel. Otherwise B's row stride: B (untransposed, at most one tile wide) is read in place (Vector512 with AVX-512 only).</param>
    /// <param name="c">The top-left element of the C tile.</param>
    /// <param name="ldc">Row stride of C, in floats.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C (0: C is not read).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(SimdWidth simd, int rows, int cols, bool kContiguous, int kc, float* a, nint stride,
        float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
    {
        if (simd == SimdWidth.Vector512)
        {
            if (bStride != 0) Run512<BInPlace>(rows, cols, kContiguous, kc, a, stride, b, bStride, c, ldc, alpha, beta);
            else Run512<BPacked>(rows, cols, kContiguous, kc, a, stride, b, 0, c, ldc, alpha, beta);
        }
        else
        {
            if (kContiguous)
            {
                if (cols > 8) Rows256<N2, KAdjacent>(rows, cols, kc, a, stride, b, c, ldc, alpha, beta);
                else Rows256<N1, KAdjacent>(rows, cols, kc, a, stride, b, c, ldc, alpha, beta);
            }
            else
            {
                if (cols > 8) Rows256<N2, RowsAdjacent>(rows, cols, kc, a, stride, b, c, ldc, alpha, beta);
                else Rows256<N1, RowsAdjacent>(rows, cols, kc, a, stride, b, c, ldc, alpha, beta);
            }
        }
    }

    private static void Run512<TB>(int rows, int cols, bool kContiguous, int kc, float* a, nint stride,
        float* b, nint bStride, float* c, nint ldc, float alpha, float beta) where TB : struct, IBLayout
    {
        if (kContiguous)
        {
            if (cols > 16) Rows512<N2, KAdjacent, TB>(rows, cols, kc, a, stride, b, bStride, c, ldc, alpha, beta);
            else Rows512<N1, KAdjacent, TB>(rows, cols, kc, a, stride, b, bStride, c, ldc, alpha, beta);
        }
        else
        {
            if (cols > 16) Rows512<N2, RowsAdjacent, TB>(rows, cols, kc, a, stride, b, bStride, c, ldc, alpha, beta);
            else Rows512<N1, RowsAdjacent, TB>(rows, cols, kc, a, stride, b, bStride, c, ldc, alpha, beta);
        }
    }

    private static void Rows512<TCols, TA, TB>(int rows, int cols, int kc, float* a, nint stride,
        float* b, nint bStride, float* c, nint ldc, float alpha, float beta)
        where TCols : struct, IConstant where TA : struct, IALayout where TB : struct, IBLayout
    {
        nint rowStep = TA.KContiguous ? stride : 1;
        while (rows > 0)
        {
            int r;
            if (rows >= 12) { r = 12; MicroKernel512.Run<N12, TCols, TA, TB>(kc, a, stride, b, bStride, c, ldc, alpha, beta, cols); }
            else if (rows >= 8) { r = 8; MicroKernel512.Run<N8, TCols, TA, TB>(kc, a, stride, b, bStride, c, ldc, alpha, beta, cols); }
            else if (rows >= 4) { r = 4; MicroKernel512.Run<N4, TCols, TA, TB>(kc, a, stride, b, bStride, c, ldc, alpha, beta, cols); }
            else if (rows >= 2) { r = 2; MicroKernel512.Run<N2, TCols, TA, TB>(kc, a, stride, b, bStride, c, ldc, alpha, beta, cols); }
            else { r = 1; MicroKernel512.Run<N1, TCols, TA, TB>(kc, a, stride, b, bStride, c, ldc, alpha, beta, cols); }
            a += r * rowStep;
            c += r * ldc;
            rows -= r;
        }
    }

    private static void Rows256<TCols, TA>(int rows, int cols, int kc, float* a, nint stride,
        float* b, float* c, nint ldc, float alpha, float beta)
        where TCols : struct, IConstant where TA : struct, IALayout
    {
        nint rowStep = TA.KContiguous ? stride : 1;
        while (rows > 0)
        {
            int r;
            if (rows >= 6) { r = 6; MicroKernel256.Run<N6, TCols, TA>(kc, a, stride, b, c, ldc, alpha, beta, cols); }
            else if (rows >= 4) { r = 4; MicroKernel256.Run<N4, TCols, TA>(kc, a, stride, b, c, ldc, alpha, beta, cols); }
            else if (rows >= 2) { r = 2; MicroKernel256.Run<N2, TCols, TA>(kc, a, stride, b, c, ldc, alpha, beta, cols); }
            else { r = 1; MicroKernel256.Run<N1, TCols, TA>(kc, a, stride, b, c, ldc, alpha, beta, cols); }
            a += r * rowStep;
            c += r * ldc;
            rows -= r;
        }
    }
}
