using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// The convolution's weight gradient by im2col + GEMM one image at a time:
/// dW = Σ_n dy_n [F, OH·OW] · im2col(x_n) [OH·OW, patch] and db = Σ_n the row sums of dy_n.
/// dy_n is already the GEMM's A operand in NCHW (no transpose), and one image's im2col rows
/// (a few hundred KiB) stay in L2 between being written and being read, where the whole batch's
/// im2col matrix (tens of MiB) would go to memory and back. Pieces take contiguous images and
/// run the GEMM on their own thread (<see cref="SgemmEngine.RunOnThisThread"/>); piece 0
/// accumulates into dW, the others into their own float sums added afterwards, and the bias sums
/// go into double partials (<see cref="IPartialSums"/>).
/// </summary>
internal sealed unsafe class ImageGemmWeightGradientWork(NativeScratch[] scratch, SgemmEngine gemm) : IParallelWork, IPartialSums
{
    public float* X, Dy, DWeights;
    public ConvGeometry G;
    public int Filters;

    private long WeightCount => (long)Filters * G.PatchSize;

    private long ColumnCount => (long)G.OutputHeight * G.OutputWidth * G.PatchSize;

    /// <summary>Piece <paramref name="part"/>'s slot: [Filters] double bias sums, then its float dW sums, then one image's im2col rows.</summary>
    public double* Partial(int part) => scratch[part].Get<double>(Filters + (WeightCount + ColumnCount) / 2 + 16);

    /// <summary>Piece <paramref name="part"/>'s own dW sums (pieces after the first).</summary>
    public float* Weights(int part) => (float*)(Partial(part) + Filters + 8);

    public void Execute(int part, int parts)
    {
        var g = G;
        var (n0, n1) = RangeWork.Chunk(g.Batch, part, parts);
        int spatial = g.OutputHeight * g.OutputWidth, patch = g.PatchSize, filters = Filters;
        double* db = Partial(part);
        float* dw = part == 0 ? DWeights : Weights(part);
        float* col = Weights(part) + WeightCount + 16;
        new Span<double>(db, filters).Clear();
        if (n0 >= n1) new Span<float>(dw, checked((int)WeightCount)).Clear();
        long image = (long)g.Channels * g.Height * g.Width, output = (long)filters * spatial;
        for (int n = n0; n < n1; n++)
        {
            float* dy = Dy + n * output;
            Im2ColWork.Image(g, X + n * image, col);
            gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.NoTranspose, filters, patch, spatial, 1f,
                dy, spatial, col, patch, n == n0 ? 0f : 1f, dw, patch);
            for (int f = 0; f < filters; f++) db[f] += SimdMath.Sum(dy + (long)f * spatial, spatial);
        }
    }
}
