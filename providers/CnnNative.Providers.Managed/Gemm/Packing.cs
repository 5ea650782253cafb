using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernel streams: a B block as
/// column panels of <c>panelWidth</c> floats per k step (zero-padded past the last column, so
/// the kernel's vectors never read garbage), an A micro-panel as <c>rows</c> floats per k step.
/// Transposed sources go through 8×8 register transposes. Compiled fully optimised from the
/// first call (no tiering), like the micro-kernels: the first training steps are not slow.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>
    /// op(B)[p0 + p, j0 + j] for p &lt; kc, j &lt; nc into panels of <paramref name="panelWidth"/>
    /// columns: panel q holds element (p, j) at dst[q·kc·panelWidth + p·panelWidth + j − q·panelWidth].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(Transpose ta, float* a, int lda, int i0, int p0, int rows, int kc, float* dst, int panelRows)
    {
        if (ta == Transpose.NoTranspose)
            TransposeInto(a + (long)i0 * lda + p0, lda, rows, kc, dst, panelRows);
        else
            CopyRows(a + (long)p0 * lda + i0, lda, kc, rows, dst, panelRows);
    }

    /// <summary>dst[p·ld + j] = src[p·ls + j] for j &lt; width, zero for width ≤ j &lt; ld, for p &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        if (Avx512F.IsSupported && ld <= 32 && ld % 16 == 0)
        {
            // A ragged panel (the right edge of B, a short A panel): masked loads zero-fill the tail.
            var m0 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
            var m1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width - 16)).AsSingle();
            for (int p = 0; p < count; p++, src += ls, dst += ld)
            {
                Avx512F.MaskLoad(src, m0, Vector512<float>.Zero).Store(dst);
                if (ld == 32) Avx512F.MaskLoad(src + 16, m1, Vector512<float>.Zero).Store(dst + 16);
            }
            return;
        }
        if (Avx512F.IsSupported && ld < 16)
        {
            // A transposed A panel (12 rows): one masked load and one masked store per k step.
            var load = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
            var store = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(ld)).AsSingle();
            for (int p = 0; p < count; p++, src += ls, dst += ld)
                Avx512F.MaskStore(dst, store, Avx512F.MaskLoad(src, load, Vector512<float>.Zero));
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeInto(float* src, nint ls, int rows, int count, float* dst, int ld)
    {
        int r8 = TransposeKernels.Accelerated ? rows / 8 * 8 : 0;
        int p8 = TransposeKernels.Accelerated ? count / 8 * 8 : 0;
        int r4 = TransposeKernels.Accelerated && rows - r8 >= 4 ? r8 + 4 : r8;
        for (int r = 0; r < r8; r += 8)
            for (int p = 0; p < p8; p += 8)
                TransposeKernels.Block8(src + r * ls + p, ls, dst + (nint)p * ld + r, ld);
        if (r4 > r8)
            for (int p = 0; p < p8; p += 8)
                TransposeKernels.Block4x8(src + r8 * ls + p, ls, dst + (nint)p * ld + r8, ld);
        // The ragged edges: rows past the blocks for every p, and p past the last 8-block for all rows.
        for (int p = 0; p < count; p++)
        {
            float* d = dst + (nint)p * ld;
            int r = p < p8 ? r4 : 0;
            for (; r < rows; r++) d[r] = src[r * ls + p];
            for (; r < ld; r++) d[r] = 0f;
        }
    }
}
