using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// Our row-major SGEMM, C = alpha·op(A)·op(B) + beta·C, in the GotoBLAS/BLIS shape:
/// for each block of <see cref="NBlock"/> columns and <see cref="KBlock"/> k steps, pack that
/// block of B into column panels (it stays in L2), then for each micro-panel of A rows (read in
/// place, or packed into an L1-sized panel when its rows would crowd the L1 sets — see
/// <see cref="GemmPlan.PacksA"/>) run the register-blocked micro-kernel across the panels. All four transpose
/// combinations reduce to the packing step and the kernel's A stride. Threads take blocks of
/// C or ranges of K as <see cref="GemmPlan"/> decides; each thread packs into its own
/// scratch, allocated on first use and grown only when a larger problem arrives.
/// </summary>
internal sealed unsafe class SgemmEngine : IDisposable
{
    /// <summary>k steps per packed block: an A micro-panel (12 × 256 floats, 12 KiB) stays in L1.</summary>
    public const int KBlock = 256;

    private readonly WorkerPool _pool;
    private readonly Workspace[] _workspaces;
    private readonly PieceWork _work;
    private readonly NativeScratch _transposed = new();

    public SgemmEngine(WorkerPool pool, SimdWidth simd)
    {
        _pool = pool;
        Simd = simd;
        TileRows = simd == SimdWidth.Vector512 ? MicroKernel512.Rows : MicroKernel256.Rows;
        TileCols = simd == SimdWidth.Vector512 ? MicroKernel512.Cols : MicroKernel256.Cols;
        _workspaces = new Workspace[pool.Threads];
        for (int i = 0; i < _workspaces.Length; i++) _workspaces[i] = new Workspace();
        _work = new PieceWork(this);
    }

    public SimdWidth Simd { get; }

    /// <summary>Rows × columns of the micro-kernel's register tile.</summary>
    public int TileRows { get; }
    public int TileCols { get; }

    /// <summary>Columns per packed B block: 256 k steps × 512 columns = 512 KiB, inside a 1 MiB L2.</summary>
    public int NBlock => 512;

    public string KernelDescription => $"{TileRows}×{TileCols} {(Simd == SimdWidth.Vector512 ? "Vector512" : "Vector256")} micro-kernel";

    /// <summary>The leading dimensions are the stored row lengths (lda = transA ? m : k, and so on).</summary>
    public void Run(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (GemmPlan.TransposesResult(m, n, k, TileCols))
        {
            // Cᵀ = op(B)ᵀ·op(A)ᵀ fills the micro-kernel's vectors better (n = 25 pads to 32 lanes,
            // m = 30 to 32): compute it into a small buffer, then write its transpose into C.
            float* t = _transposed.Get<float>((long)m * n);
            RunBlocks(Flip(tb), Flip(ta), n, m, k, alpha, b, ldb, a, lda, 0f, t, m);
            for (int i = 0; i < m; i++)
            {
                float* cRow = c + (long)i * ldc;
                for (int j = 0; j < n; j++) cRow[j] = beta == 0f ? t[(long)j * m + i] : t[(long)j * m + i] + beta * cRow[j];
            }
            return;
        }
        RunBlocks(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static Transpose Flip(Transpose t) => t == Transpose.NoTranspose ? Transpose.Transpose : Transpose.NoTranspose;

    private void RunBlocks(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        bool aConflicts = GemmPlan.AConflicts(ta == Transpose.Transpose, lda, TileRows, KBlock);
        var plan = GemmPlan.Choose(m, n, k, _pool.Threads, TileRows, TileCols, aConflicts);
        var w = _work;
        w.Plan = plan;
        w.AConflicts = aConflicts;
        w.TA = ta; w.TB = tb; w.M = m; w.N = n; w.K = k;
        w.Alpha = alpha; w.Beta = beta;
        w.A = a; w.Lda = lda; w.B = b; w.Ldb = ldb; w.C = c; w.Ldc = ldc;
        if (plan.Parts == 1) Piece(0);
        else _pool.Run(w, plan.Parts);
        if (plan.KParts > 1) AddPartials();
    }

    /// <summary>Piece <paramref name="part"/>: one block of C over one range of k.</summary>
    private void Piece(int part)
    {
        var w = _work;
        var plan = w.Plan;
        int ki = part % plan.KParts, rest = part / plan.KParts;
        int ni = rest % plan.NParts, mi = rest / plan.NParts;
        var (m0, m1) = GemmPlan.Range(w.M, mi, plan.MParts, TileRows);
        var (n0, n1) = GemmPlan.Range(w.N, ni, plan.NParts, TileCols);
        var (k0, k1) = GemmPlan.Range(w.K, ki, plan.KParts, 8);
        if (m0 >= m1 || n0 >= n1) return;
        int mLen = m1 - m0, nLen = n1 - n0;
        var ws = _workspaces[part];
        float* a = w.TA == Transpose.NoTranspose ? w.A + (long)m0 * w.Lda + k0 : w.A + (long)k0 * w.Lda + m0;
        float* b = w.TB == Transpose.NoTranspose ? w.B + (long)k0 * w.Ldb + n0 : w.B + (long)n0 * w.Ldb + k0;
        if (ki == 0)
        {
            Serial(ws, w.AConflicts, w.TA, w.TB, mLen, nLen, k1 - k0, w.Alpha, a, w.Lda, b, w.Ldb, w.Beta, w.C + (long)m0 * w.Ldc + n0, w.Ldc);
        }
        else
        {
            // A later k range: its share goes to this piece's own buffer, added to C afterwards.
            float* partial = ws.Partial.Get<float>((long)mLen * nLen);
            if (k1 > k0) Serial(ws, w.AConflicts, w.TA, w.TB, mLen, nLen, k1 - k0, w.Alpha, a, w.Lda, b, w.Ldb, 0f, partial, nLen);
            else new Span<float>(partial, mLen * nLen).Clear();
        }
    }

    /// <summary>C += the partial products of every k range after the first (serial: C is small when K is split).</summary>
    private void AddPartials()
    {
        var w = _work;
        var plan = w.Plan;
        for (int part = 0; part < plan.Parts; part++)
        {
            int ki = part % plan.KParts, rest = part / plan.KParts;
            if (ki == 0) continue;
            int ni = rest % plan.NParts, mi = rest / plan.NParts;
            var (m0, m1) = GemmPlan.Range(w.M, mi, plan.MParts, TileRows);
            var (n0, n1) = GemmPlan.Range(w.N, ni, plan.NParts, TileCols);
            if (m0 >= m1 || n0 >= n1) continue;
            int nLen = n1 - n0;
            float* partial = _workspaces[part].Partial.Get<float>((long)(m1 - m0) * nLen);
            for (int i = m0; i < m1; i++)
                SimdMath.AddInPlace(w.C + (long)i * w.Ldc + n0, partial + (long)(i - m0) * nLen, nLen);
        }
    }

    /// <summary>
    /// The whole product on the calling thread, with piece <paramref name="part"/>'s packing
    /// buffers: for work that is already split across the pool (one GEMM per image inside a
    /// parallel piece). Same arguments as <see cref="Run"/>.
    /// </summary>
    public void RunOnThisThread(int part, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        Serial(_workspaces[part], GemmPlan.AConflicts(ta == Transpose.Transpose, lda, TileRows, KBlock), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>One thread's whole product on a sub-block (pointers already offset).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Serial(Workspace ws, bool aConflicts, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        int tileRows = TileRows, tileCols = TileCols, nBlock = NBlock;
        bool packA = GemmPlan.PacksA(n, k, tileCols, aConflicts);
        bool kContiguous = !packA && ta == Transpose.NoTranspose;
        float* packedA = packA ? ws.A.Get<float>((long)tileRows * KBlock) : null;
        // A narrow untransposed B (one tile of columns) is read where it lies: packing it would
        // stream all of a long B through memory twice (measured: a quarter of 30×25×57600's time).
        bool bInPlace = tb == Transpose.NoTranspose && n <= tileCols && Simd == SimdWidth.Vector512 && Avx512F.IsSupported;
        float* packedB = bInPlace ? null : ws.B.Get<float>((long)KBlock * ((Math.Min(nBlock, n) + tileCols - 1) / tileCols * tileCols));
        for (int jc = 0; jc < n; jc += nBlock)
        {
            int nc = Math.Min(nBlock, n - jc);
            for (int pc = 0; pc < k; pc += KBlock)
            {
                int kc = Math.Min(KBlock, k - pc);
                float* bBlock = bInPlace ? b + (long)pc * ldb : packedB;
                if (!bInPlace) Packing.PackB(tb, b, ldb, pc, jc, kc, nc, packedB, tileCols);
                float betaNow = pc == 0 ? beta : 1f;
                for (int ir = 0; ir < m; ir += tileRows)
                {
                    int rows = Math.Min(tileRows, m - ir);
                    float* ap;
                    nint stride;
                    if (packA)
                    {
                        Packing.PackA(ta, a, lda, ir, pc, rows, kc, packedA, tileRows);
                        ap = packedA;
                        stride = tileRows;
                    }
                    else if (ta == Transpose.NoTranspose)
                    {
                        ap = a + (long)ir * lda + pc;
                        stride = lda;
                    }
                    else
                    {
                        ap = a + (long)pc * lda + ir;
                        stride = lda;
                    }
                    float* cRow = c + (long)ir * ldc + jc;
                    for (int jr = 0; jr < nc; jr += tileCols)
                        TileDispatch.Run(Simd, rows, Math.Min(tileCols, nc - jr), kContiguous, kc, ap, stride,
                            bInPlace ? bBlock : bBlock + (long)jr * kc, bInPlace ? ldb : 0, cRow + jr, ldc, alpha, betaNow);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var ws in _workspaces) ws.Dispose();
        _transposed.Dispose();
    }

    /// <summary>One piece's packing buffers and K-split partial product.</summary>
    private sealed class Workspace : IDisposable
    {
        public readonly NativeScratch A = new(), B = new(), Partial = new();

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
            Partial.Dispose();
        }
    }

    /// <summary>The arguments of the running product, shared by its pieces.</summary>
    private sealed class PieceWork(SgemmEngine engine) : IParallelWork
    {
        public GemmPlan Plan;
        public bool AConflicts;
        public Transpose TA, TB;
        public int M, N, K, Lda, Ldb, Ldc;
        public float Alpha, Beta;
        public float* A, B, C;

        public void Execute(int part, int parts) => engine.Piece(part);
    }
}
