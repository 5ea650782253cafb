using System.Runtime.Intrinsics;
using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernel streams: a B block as
/// column panels of <c>panelWidth</c> floats per k step (zero-padded past the last column, so
/// the kernel's vectors never read garbage), an A micro-panel as <c>rows</c> floats per k step.
/// Transposed sources go through 8×8 register transposes.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>
    /// op(B)[p0 + p, j0 + j] for p &lt; kc, j &lt; nc into panels of <paramref name="panelWidth"/>
    /// columns: panel q holds element (p, j) at dst[q·kc·panelWidth + p·panelWidth + j − q·panelWidth].
    /// </summary>
    public static void PackB(Transpose tb, float* b, int ldb, int p0, int j0, int kc, int nc, float* dst, int panelWidth)
    {
        for (int q = 0; q * panelWidth < nc; q++)
        {
            int jq = j0 + q * panelWidth, width = Math.Min(panelWidth, nc - q * panelWidth);
            float* d = dst + (long)q * kc * panelWidth;
            if (tb == Transpose.NoTranspose)
                CopyRows(b + (long)p0 * ldb + jq, ldb, kc, width, d, panelWidth);
            else
                TransposeInto(b + (long)jq * ldb + p0, ldb, width, kc, d, panelWidth);
        }
    }

    /// <summary>op(A)[i0 + r, p0 + p] for r &lt; rows, p &lt; kc into dst[p·panelRows + r].</summary>
    public static void PackA(Transpose ta, float* a, int lda, int i0, int p0, int rows, int kc, float* dst, int panelRows)
    {
        if (ta == Transpose.NoTranspose)
            TransposeInto(a + (long)i0 * lda + p0, lda, rows, kc, dst, panelRows);
        else
            CopyRows(a + (long)p0 * lda + i0, lda, kc, rows, dst, panelRows);
    }

    /// <summary>dst[p·ld + j] = src[p·ls + j] for j &lt; width, zero for width ≤ j &lt; ld, for p &lt; count.</summary>
    private static void CopyRows(float* src, nint ls, int count, int width, float* dst, int ld)
    {
        if (width == ld && ld == 32 && Vector512.IsHardwareAccelerated)
        {
            for (int p = 0; p < count; p++, src += ls, dst += ld)
            {
                Vector512.Load(src).Store(dst);
                Vector512.Load(src + 16).Store(dst + 16);
            }
            return;
        }
        if (width == ld && ld == 16)
        {
            for (int p = 0; p < count; p++, src += ls, dst += ld)
            {
                Vector256.Load(src).Store(dst);
                Vector256.Load(src + 8).Store(dst + 8);
            }
            return;
        }
        for (int p = 0; p < count; p++, src += ls, dst += ld)
        {
            int j = 0;
            for (; j <= width - 8; j += 8) Vector256.Load(src + j).Store(dst + j);
            for (; j < width; j++) dst[j] = src[j];
            for (; j < ld; j++) dst[j] = 0f;
        }
    }

    /// <summary>dst[p·ld + r] = src[r·ls + p] for r &lt; rows, p &lt; count; zero for rows ≤ r &lt; ld.</summary>
    private static void TransposeInto(float* src, nint ls, int rows, int count, float* dst, int ld)
    {
        int r8 = TransposeKernels.Accelerated ? rows / 8 * 8 : 0;
        int p8 = TransposeKernels.Accelerated ? count / 8 * 8 : 0;
        for (int r = 0; r < r8; r += 8)
            for (int p = 0; p < p8; p += 8)
                TransposeKernels.Block8(src + r * ls + p, ls, dst + (nint)p * ld + r, ld);
        // The ragged edges: rows past the last 8-block for every p, and p past the last 8-block for the block rows.
        for (int p = 0; p < count; p++)
        {
            float* d = dst + (nint)p * ld;
            int r = p < p8 ? r8 : 0;
            for (; r < rows; r++) d[r] = src[r * ls + p];
            for (; r < ld; r++) d[r] = 0f;
        }
    }
}
