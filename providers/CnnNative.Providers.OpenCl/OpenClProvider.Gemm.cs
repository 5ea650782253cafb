using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

// GEMM dispatch (kernels: gemm.cl). Two host decisions around the one kernel:
//  * packing — the direct (CPU) path reads B in TN-column panels of whole vectors, so a
//    transposed B, or one narrower than a vector, is first packed into contiguous panels
//    (B is the weight matrix in such calls of a conv net, so the copy is small); so is a
//    B that several row blocks reuse, where a contiguous panel streams through the cache
//    instead of rows ldb apart that collide in the same cache sets (the copy costs about
//    1/M of the product);
//  * split K — a product with few output tiles but a long K (a conv layer's weight
//    gradient: 30×25 outputs over K = N·OH·OW = 57,600) would keep one group busy and the
//    rest of the device idle, so K is cut into slices computed side by side and summed.
public sealed partial class OpenClProvider
{
    /// <summary>Below this many k per slice, splitting costs more in slice traffic than it gains.</summary>
    private const int MinSplitChunk = 256;

    /// <summary>Row blocks (of TM) from which packing B pays for itself on the direct path.</summary>
    private const int PackWhenRowBlocks = 4;

    private ScratchBuffer? _packedB;
    private ScratchBuffer? _slices;

    /// <inheritdoc/>
    protected override void GemmCore(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        var t = _tuning.Gemm;
        bool ta = transA == Transpose.Transpose, tb = transB == Transpose.Transpose;
        // op(A)(i, p) = A[i·sam + p·sak]; op(B)(p, j) = B[p·sbk + j·sbn].
        int sam = ta ? 1 : k, sak = ta ? m : 1;
        int sbk = tb ? 1 : n, sbn = tb ? k : 1;
        int tilesN = CeilDiv(n, t.TN), tilesM = CeilDiv(m, t.TM);

        ClMemHandle bMem = MemOf(b);
        int nb = n, bPanel = t.TN;
        if (!t.StageB && (tb || n < t.VW || tilesM >= PackWhenRowBlocks))
        {
            int paddedN = tilesN * t.TN;
            bMem = (_packedB ??= new ScratchBuffer(_runtime)).Get((long)k * paddedN);
            Launch(Kernels.GemmPackB).Mem(b).I32(sbk).I32(sbn).I32(k).I32(n).Mem(bMem).I32(paddedN)
                .Run2(paddedN, k, t.TN, Math.Max(1, _tuning.ElementwiseLocal / t.TN));
            sbk = t.TN; sbn = 1; nb = paddedN; bPanel = k * t.TN;
        }

        int slices = SplitK(tilesM * tilesN, k, out int chunk);
        if (slices == 1)
        {
            Launch(Kernels.Gemm)
                .I32(m).I32(n).I32(k).I32(k).F32(alpha)
                .Mem(a).I32(sam).I32(sak)
                .Mem(bMem).I32(sbk).I32(sbn).I32(nb).I32(bPanel)
                .F32(beta).Mem(c).I32(n).I32(0)
                .Run3(tilesN * t.LocalX, tilesM * t.LocalY, 1, t.LocalX, t.LocalY, 1);
            return;
        }

        int mn = m * n;
        ClMemHandle work = (_slices ??= new ScratchBuffer(_runtime)).Get((long)slices * mn);
        Launch(Kernels.Gemm)
            .I32(m).I32(n).I32(k).I32(chunk).F32(1f)
            .Mem(a).I32(sam).I32(sak)
            .Mem(bMem).I32(sbk).I32(sbn).I32(nb).I32(bPanel)
            .F32(0f).Mem(work).I32(n).I32(mn)
            .Run3(tilesN * t.LocalX, tilesM * t.LocalY, slices, t.LocalX, t.LocalY, 1);
        Launch(Kernels.GemmReduceSlices).Mem(work).I32(slices).I32(mn).F32(alpha).F32(beta).Mem(c)
            .Run1(mn, _tuning.ElementwiseLocal);
    }

    /// <summary>
    /// Slices of K so that output tiles × slices gives every compute unit a few groups;
    /// 1 when the tiles already do, or K is too short to be worth cutting.
    /// </summary>
    private int SplitK(int outputTiles, int k, out int chunk)
    {
        chunk = k;
        int target = 4 * Math.Max(1, _runtime.Device.ComputeUnits);
        if (outputTiles >= target || k < 2 * MinSplitChunk) return 1;
        int slices = Math.Min(CeilDiv(target, outputTiles), k / MinSplitChunk);
        int step = _tuning.Gemm.TK;
        chunk = CeilDiv(CeilDiv(k, slices), step) * step;
        return CeilDiv(k, chunk);
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
