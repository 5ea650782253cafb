using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// The Vector512 SGEMM micro-kernel: a tile of up to 12 rows × 32 columns of C held in
/// 24 Vector512 accumulators while k runs; per k step it loads 2 vectors of the packed B panel
/// (row stride 32), or of B itself read in place (<c>TB</c>: row stride ldb, masked past the last
/// column), and broadcasts one element of A per row. <c>TRows</c>,
/// <c>TCols</c> (vectors per row) and <c>TA</c> are compile-time
/// constants to the JIT, so every instantiation keeps only its own accumulators and address
/// arithmetic: one source for the full tile and every edge. The row blocks below repeat one
/// pattern; keep them in step.
/// A element (r, p) is read at a[r·rowStride + p·kStride]: packed panels and transposed A have
/// rows adjacent (rowStride 1), untransposed A has k adjacent (kStride 1).
/// The tile is written as C = alpha·acc + beta·C (beta 0: C is not read), columns at and
/// past <c>cols</c> untouched (masked stores).
/// </summary>
internal static unsafe class MicroKernel512
{
    /// <summary>Rows of the full tile.</summary>
    public const int Rows = 12;

    /// <summary>Columns of the full tile and the row stride of a packed B panel.</summary>
    public const int Cols = 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TRows, TCols, TA, TB>(int kc, float* a, nint stride, float* b, nint bStride, float* c, nint ldc,
        float alpha, float beta, int cols)
        where TRows : struct, IConstant where TCols : struct, IConstant where TA : struct, IALayout where TB : struct, IBLayout
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
        Vector512<float> c100 = default, c101 = default;
        Vector512<float> c110 = default, c111 = default;
        nint rs = TA.KContiguous ? stride : 1;
        nint ks = TA.KContiguous ? 1 : stride;
        float* pa = a;
        float* pb = b;
        nint bs = TB.InPlace ? bStride : 32;
        float* end = b + (nint)kc * bs;
        // B read in place: the lanes past its last column are not read (its rows are not padded).
        var bm0 = TB.InPlace ? Mask(cols) : default;
        var bm1 = TB.InPlace ? Mask(cols - 16) : default;
        while (pb < end)
        {
            var b0 = TB.InPlace && TCols.Value == 1 ? Avx512F.MaskLoad(pb, bm0, Vector512<float>.Zero) : Vector512.Load(pb);
            var b1 = TCols.Value == 1 ? default : TB.InPlace ? Avx512F.MaskLoad(pb + 16, bm1, Vector512<float>.Zero) : Vector512.Load(pb + 16);
            Vector512<float> av;
            av = Vector512.Create(pa[0]); c00 = Vector512.FusedMultiplyAdd(av, b0, c00); if (TCols.Value > 1) c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            if (TRows.Value > 1) { av = Vector512.Create(pa[rs]); c10 = Vector512.FusedMultiplyAdd(av, b0, c10); if (TCols.Value > 1) c11 = Vector512.FusedMultiplyAdd(av, b1, c11); }
            if (TRows.Value > 2) { av = Vector512.Create(pa[2 * rs]); c20 = Vector512.FusedMultiplyAdd(av, b0, c20); if (TCols.Value > 1) c21 = Vector512.FusedMultiplyAdd(av, b1, c21); }
            if (TRows.Value > 3) { av = Vector512.Create(pa[3 * rs]); c30 = Vector512.FusedMultiplyAdd(av, b0, c30); if (TCols.Value > 1) c31 = Vector512.FusedMultiplyAdd(av, b1, c31); }
            if (TRows.Value > 4) { av = Vector512.Create(pa[4 * rs]); c40 = Vector512.FusedMultiplyAdd(av, b0, c40); if (TCols.Value > 1) c41 = Vector512.FusedMultiplyAdd(av, b1, c41); }
            if (TRows.Value > 5) { av = Vector512.Create(pa[5 * rs]); c50 = Vector512.FusedMultiplyAdd(av, b0, c50); if (TCols.Value > 1) c51 = Vector512.FusedMultiplyAdd(av, b1, c51); }
            if (TRows.Value > 6) { av = Vector512.Create(pa[6 * rs]); c60 = Vector512.FusedMultiplyAdd(av, b0, c60); if (TCols.Value > 1) c61 = Vector512.FusedMultiplyAdd(av, b1, c61); }
            if (TRows.Value > 7) { av = Vector512.Create(pa[7 * rs]); c70 = Vector512.FusedMultiplyAdd(av, b0, c70); if (TCols.Value > 1) c71 = Vector512.FusedMultiplyAdd(av, b1, c71); }
            if (TRows.Value > 8) { av = Vector512.Create(pa[8 * rs]); c80 = Vector512.FusedMultiplyAdd(av, b0, c80); if (TCols.Value > 1) c81 = Vector512.FusedMultiplyAdd(av, b1, c81); }
            if (TRows.Value > 9) { av = Vector512.Create(pa[9 * rs]); c90 = Vector512.FusedMultiplyAdd(av, b0, c90); if (TCols.Value > 1) c91 = Vector512.FusedMultiplyAdd(av, b1, c91); }
            if (TRows.Value > 10) { av = Vector512.Create(pa[10 * rs]); c100 = Vector512.FusedMultiplyAdd(av, b0, c100); if (TCols.Value > 1) c101 = Vector512.FusedMultiplyAdd(av, b1, c101); }
            if (TRows.Value > 11) { av = Vector512.Create(pa[11 * rs]); c110 = Vector512.FusedMultiplyAdd(av, b0, c110); if (TCols.Value > 1) c111 = Vector512.FusedMultiplyAdd(av, b1, c111); }
            pa += ks;
            pb += bs;
        }

        var va = Vector512.Create(alpha);
        if (cols >= TCols.Value * 16)
        {
            // Whole rows: one decision for the tile, then straight-line stores.
            if (beta == 0f)
            {
                Store<TCols>(c + 0 * ldc, c00, c01, va);
                if (TRows.Value > 1) Store<TCols>(c + 1 * ldc, c10, c11, va);
                if (TRows.Value > 2) Store<TCols>(c + 2 * ldc, c20, c21, va);
                if (TRows.Value > 3) Store<TCols>(c + 3 * ldc, c30, c31, va);
                if (TRows.Value > 4) Store<TCols>(c + 4 * ldc, c40, c41, va);
                if (TRows.Value > 5) Store<TCols>(c + 5 * ldc, c50, c51, va);
                if (TRows.Value > 6) Store<TCols>(c + 6 * ldc, c60, c61, va);
                if (TRows.Value > 7) Store<TCols>(c + 7 * ldc, c70, c71, va);
                if (TRows.Value > 8) Store<TCols>(c + 8 * ldc, c80, c81, va);
                if (TRows.Value > 9) Store<TCols>(c + 9 * ldc, c90, c91, va);
                if (TRows.Value > 10) Store<TCols>(c + 10 * ldc, c100, c101, va);
                if (TRows.Value > 11) Store<TCols>(c + 11 * ldc, c110, c111, va);
            }
            else
            {
                var vb = Vector512.Create(beta);
                Update<TCols>(c + 0 * ldc, c00, c01, va, vb);
                if (TRows.Value > 1) Update<TCols>(c + 1 * ldc, c10, c11, va, vb);
                if (TRows.Value > 2) Update<TCols>(c + 2 * ldc, c20, c21, va, vb);
                if (TRows.Value > 3) Update<TCols>(c + 3 * ldc, c30, c31, va, vb);
                if (TRows.Value > 4) Update<TCols>(c + 4 * ldc, c40, c41, va, vb);
                if (TRows.Value > 5) Update<TCols>(c + 5 * ldc, c50, c51, va, vb);
                if (TRows.Value > 6) Update<TCols>(c + 6 * ldc, c60, c61, va, vb);
                if (TRows.Value > 7) Update<TCols>(c + 7 * ldc, c70, c71, va, vb);
                if (TRows.Value > 8) Update<TCols>(c + 8 * ldc, c80, c81, va, vb);
                if (TRows.Value > 9) Update<TCols>(c + 9 * ldc, c90, c91, va, vb);
                if (TRows.Value > 10) Update<TCols>(c + 10 * ldc, c100, c101, va, vb);
                if (TRows.Value > 11) Update<TCols>(c + 11 * ldc, c110, c111, va, vb);
            }
            return;
        }
        // The right edge of C: masked stores that neither read nor write past column cols.
        var m0 = Mask(cols);
        var m1 = Mask(cols - 16);
        StoreMasked<TCols>(c + 0 * ldc, c00, c01, alpha, beta, m0, m1);
        if (TRows.Value > 1) StoreMasked<TCols>(c + 1 * ldc, c10, c11, alpha, beta, m0, m1);
        if (TRows.Value > 2) StoreMasked<TCols>(c + 2 * ldc, c20, c21, alpha, beta, m0, m1);
        if (TRows.Value > 3) StoreMasked<TCols>(c + 3 * ldc, c30, c31, alpha, beta, m0, m1);
        if (TRows.Value > 4) StoreMasked<TCols>(c + 4 * ldc, c40, c41, alpha, beta, m0, m1);
        if (TRows.Value > 5) StoreMasked<TCols>(c + 5 * ldc, c50, c51, alpha, beta, m0, m1);
        if (TRows.Value > 6) StoreMasked<TCols>(c + 6 * ldc, c60, c61, alpha, beta, m0, m1);
        if (TRows.Value > 7) StoreMasked<TCols>(c + 7 * ldc, c70, c71, alpha, beta, m0, m1);
        if (TRows.Value > 8) StoreMasked<TCols>(c + 8 * ldc, c80, c81, alpha, beta, m0, m1);
        if (TRows.Value > 9) StoreMasked<TCols>(c + 9 * ldc, c90, c91, alpha, beta, m0, m1);
        if (TRows.Value > 10) StoreMasked<TCols>(c + 10 * ldc, c100, c101, alpha, beta, m0, m1);
        if (TRows.Value > 11) StoreMasked<TCols>(c + 11 * ldc, c110, c111, alpha, beta, m0, m1);
    }

    /// <summary>Lanes below <paramref name="count"/> set (all bits), the rest clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TCols>(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> va) where TCols : struct, IConstant
    {
        (va * v0).Store(c);
        if (TCols.Value > 1) (va * v1).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TCols>(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> va, Vector512<float> vb) where TCols : struct, IConstant
    {
        Vector512.FusedMultiplyAdd(va, v0, vb * Vector512.Load(c)).Store(c);
        if (TCols.Value > 1) Vector512.FusedMultiplyAdd(va, v1, vb * Vector512.Load(c + 16)).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked<TCols>(float* c, Vector512<float> v0, Vector512<float> v1, float alpha, float beta,
        Vector512<float> m0, Vector512<float> m1) where TCols : struct, IConstant
    {
        StoreMasked(c, v0, alpha, beta, m0);
        if (TCols.Value > 1) StoreMasked(c + 16, v1, alpha, beta, m1);
    }

    /// <summary>C = alpha·v + beta·C in the lanes of <paramref name="mask"/> only (beta 0: C not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked(float* c, Vector512<float> v, float alpha, float beta, Vector512<float> mask)
    {
        if (Avx512F.IsSupported)
        {
            var old = beta == 0f ? Vector512<float>.Zero : Avx512F.MaskLoad(c, mask, Vector512<float>.Zero);
            Avx512F.MaskStore(c, mask, Vector512.FusedMultiplyAdd(Vector512.Create(alpha), v, Vector512.Create(beta) * old));
            return;
        }
        for (int i = 0; i < 16 && mask.AsInt32()[i] != 0; i++)
            c[i] = beta == 0f ? alpha * v[i] : alpha * v[i] + beta * c[i];
    }
}
