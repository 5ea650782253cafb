using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// The Vector256 SGEMM micro-kernel: a tile of up to 6 rows × 16 columns of C held in
/// 12 Vector256 accumulators while k runs; per k step it loads 2 vectors of the packed B panel
/// (row stride 16) and broadcasts one element of A per row. <typeparamref name="TRows"/>,
/// <typeparamref name="TCols"/> (vectors per row) and <typeparamref name="TA"/> are compile-time
/// constants to the JIT, so every instantiation keeps only its own accumulators and address
/// arithmetic: one source for the full tile and every edge. The row blocks below repeat one
/// pattern; keep them in step.
/// A element (r, p) is read at a[r·rowStride + p·kStride]: packed panels and transposed A have
/// rows adjacent (rowStride 1), untransposed A has k adjacent (kStride 1).
/// The tile is written as C = alpha·acc + beta·C (beta 0: C is not read), columns at and
/// past <c>cols</c> untouched (masked stores).
/// </summary>
internal static unsafe class MicroKernel256
{
    /// <summary>Rows of the full tile.</summary>
    public const int Rows = 6;

    /// <summary>Columns of the full tile and the row stride of a packed B panel.</summary>
    public const int Cols = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows, TCols, TA>(int kc, float* a, nint stride, float* b, float* c, nint ldc,
        float alpha, float beta, int cols)
        where TRows : struct, IConstant where TCols : struct, IConstant where TA : struct, IALayout
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        nint rs = TA.KContiguous ? stride : 1;
        nint ks = TA.KContiguous ? 1 : stride;
        float* pa = a;
        float* pb = b;
        float* end = b + (nint)kc * 16;
        while (pb < end)
        {
            var b0 = Vector256.Load(pb);
            var b1 = TCols.Value > 1 ? Vector256.Load(pb + 8) : default;
            Vector256<float> av;
            av = Vector256.Create(pa[0]); c00 = Vector256.FusedMultiplyAdd(av, b0, c00); if (TCols.Value > 1) c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            if (TRows.Value > 1) { av = Vector256.Create(pa[rs]); c10 = Vector256.FusedMultiplyAdd(av, b0, c10); if (TCols.Value > 1) c11 = Vector256.FusedMultiplyAdd(av, b1, c11); }
            if (TRows.Value > 2) { av = Vector256.Create(pa[2 * rs]); c20 = Vector256.FusedMultiplyAdd(av, b0, c20); if (TCols.Value > 1) c21 = Vector256.FusedMultiplyAdd(av, b1, c21); }
            if (TRows.Value > 3) { av = Vector256.Create(pa[3 * rs]); c30 = Vector256.FusedMultiplyAdd(av, b0, c30); if (TCols.Value > 1) c31 = Vector256.FusedMultiplyAdd(av, b1, c31); }
            if (TRows.Value > 4) { av = Vector256.Create(pa[4 * rs]); c40 = Vector256.FusedMultiplyAdd(av, b0, c40); if (TCols.Value > 1) c41 = Vector256.FusedMultiplyAdd(av, b1, c41); }
            if (TRows.Value > 5) { av = Vector256.Create(pa[5 * rs]); c50 = Vector256.FusedMultiplyAdd(av, b0, c50); if (TCols.Value > 1) c51 = Vector256.FusedMultiplyAdd(av, b1, c51); }
            pa += ks;
            pb += 16;
        }

        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        bool full = cols >= TCols.Value * 8;
        var m0 = Mask(cols);
        var m1 = Mask(cols - 8);
        StoreRow<TCols>(c + 0 * ldc, c00, c01, va, vb, beta, full, m0, m1);
        if (TRows.Value > 1) StoreRow<TCols>(c + 1 * ldc, c10, c11, va, vb, beta, full, m0, m1);
        if (TRows.Value > 2) StoreRow<TCols>(c + 2 * ldc, c20, c21, va, vb, beta, full, m0, m1);
        if (TRows.Value > 3) StoreRow<TCols>(c + 3 * ldc, c30, c31, va, vb, beta, full, m0, m1);
        if (TRows.Value > 4) StoreRow<TCols>(c + 4 * ldc, c40, c41, va, vb, beta, full, m0, m1);
        if (TRows.Value > 5) StoreRow<TCols>(c + 5 * ldc, c50, c51, va, vb, beta, full, m0, m1);
    }

    /// <summary>Lanes below <paramref name="count"/> set (all bits), the rest clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TCols>(float* c, Vector256<float> v0, Vector256<float> v1, Vector256<float> va, Vector256<float> vb,
        float beta, bool full, Vector256<float> m0, Vector256<float> m1) where TCols : struct, IConstant
    {
        if (full)
        {
            if (beta == 0f)
            {
                (va * v0).Store(c);
                if (TCols.Value > 1) (va * v1).Store(c + 8);
            }
            else
            {
                Vector256.FusedMultiplyAdd(va, v0, vb * Vector256.Load(c)).Store(c);
                if (TCols.Value > 1) Vector256.FusedMultiplyAdd(va, v1, vb * Vector256.Load(c + 8)).Store(c + 8);
            }
            return;
        }
        StoreMasked(c, v0, va, vb, beta, m0);
        if (TCols.Value > 1) StoreMasked(c + 8, v1, va, vb, beta, m1);
    }

    /// <summary>The lanes of <paramref name="mask"/> only: neither reads nor writes past the edge of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked(float* c, Vector256<float> v, Vector256<float> va, Vector256<float> vb, float beta, Vector256<float> mask)
    {
        if (Avx.IsSupported)
        {
            var old = beta == 0f ? Vector256<float>.Zero : Avx.MaskLoad(c, mask);
            Avx.MaskStore(c, mask, Vector256.FusedMultiplyAdd(va, v, vb * old));
            return;
        }
        for (int i = 0; i < 8; i++)
        {
            if (mask.AsInt32()[i] == 0) break;
            float alpha = va.ToScalar();
            c[i] = beta == 0f ? alpha * v[i] : alpha * v[i] + beta * c[i];
        }
    }
}
