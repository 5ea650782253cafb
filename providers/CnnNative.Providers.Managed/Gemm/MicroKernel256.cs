using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// The Vector256 SGEMM micro-kernel: a tile of up to 6 rows × 16 columns of C held in
/// 12 Vector256 accumulators while k runs; per k step it loads 2 vectors of the packed B panel
/// (row stride 16) and broadcasts one element of A per row. The type arguments <c>TRows</c>,
/// <c>TCols</c> (vectors per row) and <c>TA</c> of its methods are compile-time
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
        if (cols >= TCols.Value * 8)
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
            }
            else
            {
                var vb = Vector256.Create(beta);
                Update<TCols>(c + 0 * ldc, c00, c01, va, vb);
                if (TRows.Value > 1) Update<TCols>(c + 1 * ldc, c10, c11, va, vb);
                if (TRows.Value > 2) Update<TCols>(c + 2 * ldc, c20, c21, va, vb);
                if (TRows.Value > 3) Update<TCols>(c + 3 * ldc, c30, c31, va, vb);
                if (TRows.Value > 4) Update<TCols>(c + 4 * ldc, c40, c41, va, vb);
                if (TRows.Value > 5) Update<TCols>(c + 5 * ldc, c50, c51, va, vb);
            }
            return;
        }
        // The right edge of C: masked stores that neither read nor write past column cols.
        var m0 = Mask(cols);
        var m1 = Mask(cols - 8);
        StoreMasked<TCols>(c + 0 * ldc, c00, c01, alpha, beta, m0, m1);
        if (TRows.Value > 1) StoreMasked<TCols>(c + 1 * ldc, c10, c11, alpha, beta, m0, m1);
        if (TRows.Value > 2) StoreMasked<TCols>(c + 2 * ldc, c20, c21, alpha, beta, m0, m1);
        if (TRows.Value > 3) StoreMasked<TCols>(c + 3 * ldc, c30, c31, alpha, beta, m0, m1);
        if (TRows.Value > 4) StoreMasked<TCols>(c + 4 * ldc, c40, c41, alpha, beta, m0, m1);
        if (TRows.Value > 5) StoreMasked<TCols>(c + 5 * ldc, c50, c51, alpha, beta, m0, m1);
    }

    /// <summary>Lanes below <paramref name="count"/> set (all bits), the rest clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TCols>(float* c, Vector256<float> v0, Vector256<float> v1, Vector256<float> va) where TCols : struct, IConstant
    {
        (va * v0).Store(c);
        if (TCols.Value > 1) (va * v1).Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TCols>(float* c, Vector256<float> v0, Vector256<float> v1, Vector256<float> va, Vector256<float> vb) where TCols : struct, IConstant
    {
        Vector256.FusedMultiplyAdd(va, v0, vb * Vector256.Load(c)).Store(c);
        if (TCols.Value > 1) Vector256.FusedMultiplyAdd(va, v1, vb * Vector256.Load(c + 8)).Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked<TCols>(float* c, Vector256<float> v0, Vector256<float> v1, float alpha, float beta,
        Vector256<float> m0, Vector256<float> m1) where TCols : struct, IConstant
    {
        StoreMasked(c, v0, alpha, beta, m0);
        if (TCols.Value > 1) StoreMasked(c + 8, v1, alpha, beta, m1);
    }

    /// <summary>C = alpha·v + beta·C in the lanes of <paramref name="mask"/> only (beta 0: C not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked(float* c, Vector256<float> v, float alpha, float beta, Vector256<float> mask)
    {
        if (Avx.IsSupported)
        {
            var old = beta == 0f ? Vector256<float>.Zero : Avx.MaskLoad(c, mask);
            Avx.MaskStore(c, mask, Vector256.FusedMultiplyAdd(Vector256.Create(alpha), v, Vector256.Create(beta) * old));
            return;
        }
        for (int i = 0; i < 8 && mask.AsInt32()[i] != 0; i++)
            c[i] = beta == 0f ? alpha * v[i] : alpha * v[i] + beta * c[i];
    }
}
