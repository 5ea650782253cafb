using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// The convolution's weight gradient by GEMMs one image at a time, computed transposed: dWᵀ
/// [patch, F] += (the image's patches as rows) · dy_nᵀ, db = Σ_n the row sums of dy_n. dy_n is
/// transposed to [positions, F] once per image, and that B operand is read in place when F fits
/// one micro-tile (see <see cref="SgemmEngine"/>); the A operand is read where it lies. So nothing
/// large is packed: the other way round, dW = dy_n · im2col(x_n), packs the whole im2col block
/// per image (measured 20–35 % slower on vgg- and resnet-sized layers).
/// <para>Shifted (<see cref="Shifted"/>, stride 1 only): no im2col at all. With the image zero-padded to rows of
/// Wp = W + 2·PW and dy_n widened to the same row length (zeros past OW), the input under kernel
/// tap (kh, kw) for every output position q = oh·Wp + ow is the padded plane read from offset
/// kh·Wp + kw on, so the tap's [C, F] slice of dWᵀ is one GEMM of the shifted planes (channel rows a
/// plane apart) by the widened dyᵀ; the widened columns multiply zeros.</para>
/// <para>Otherwise: the image's patch rows [patch, OH·OW] (<see cref="Im2ColWork.ImagePatchRows"/>),
/// which stay in L2 between being written and read.</para>
/// Pieces take contiguous images and run their GEMMs on their own thread (<see cref="SgemmEngine.RunOnThisThread"/>);
/// each sums into its own dWᵀ, and <see cref="AddInto"/> adds them into dW.
/// </summary>
internal sealed unsafe class ImageGemmWeightGradientWork(NativeScratch[] scratch, SgemmEngine gemm) : IParallelWork, IPartialSums
{
    public float* X, Dy;
    public ConvGeometry G;
    public int Filters;

    /// <summary>Shifted reads of the padded image (stride 1 only) instead of im2col rows; which is faster depends on the geometry, so the provider measures both.</summary>
    public bool Shifted;

    public static bool CanShift(in ConvGeometry g) => g.StrideHeight == 1 && g.StrideWidth == 1;

    private int PaddedWidth => G.Width + 2 * G.PadWidth;

    private long PaddedPlane => (long)(G.Height + 2 * G.PadHeight) * PaddedWidth;

    private long WeightCount => (long)Filters * G.PatchSize;

    /// <summary>Floats of a piece's working copy: the padded image and widened dy, or one image's im2col rows.</summary>
    private long WorkCount => Shifted
        ? G.Channels * PaddedPlane + G.KernelWidth + 16 + (long)Filters * G.OutputHeight * PaddedWidth
        : (long)G.OutputHeight * G.OutputWidth * (G.PatchSize + Filters) + 16;

    /// <summary>Piece <paramref name="part"/>'s slot: [Filters] double bias sums, its float weight sums, then its working copy.</summary>
    public double* Partial(int part) => scratch[part].Get<double>(Filters + (WeightCount + WorkCount) / 2 + 32);

    /// <summary>Piece <paramref name="part"/>'s weight sums, dWᵀ: [patch, F].</summary>
    public float* Weights(int part) => (float*)(Partial(part) + Filters + 8);

    public void Execute(int part, int parts)
    {
        var g = G;
        var (n0, n1) = RangeWork.Chunk(g.Batch, part, parts);
        int spatial = g.OutputHeight * g.OutputWidth, filters = Filters;
        double* db = Partial(part);
        float* dw = Weights(part);
        float* work = dw + WeightCount + 16;
        new Span<double>(db, filters).Clear();
        new Span<float>(dw, checked((int)WeightCount)).Clear();
        long image = (long)g.Channels * g.Height * g.Width, output = (long)filters * spatial;
        for (int n = n0; n < n1; n++)
        {
            float* dy = Dy + n * output;
            if (Shifted) ShiftedImage(part, X + n * image, dy, dw, work);
            else
            {
                float* patches = work, dyT = work + (long)spatial * g.PatchSize + 16;
                Im2ColWork.ImagePatchRows(g, X + n * image, patches);
                TransposeRows(dy, filters, g.OutputHeight, g.OutputWidth, g.OutputWidth, dyT);
                gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.NoTranspose, g.PatchSize, filters, spatial, 1f,
                    patches, spatial, dyT, filters, 1f, dw, filters);
            }
            for (int f = 0; f < filters; f++) db[f] += SimdMath.Sum(dy + (long)f * spatial, spatial);
        }
    }

    private void ShiftedImage(int part, float* x, float* dy, float* dwT, float* work)
    {
        var g = G;
        int wp = PaddedWidth, oh = g.OutputHeight, ow = g.OutputWidth, filters = Filters, channels = g.Channels;
        long plane = PaddedPlane;
        float* xpad = work, dyT = work + channels * plane + g.KernelWidth + 16;
        // The padded image (zeros around, and KW values of slack past the last plane for the shifted reads).
        new Span<float>(xpad, checked((int)(channels * plane + g.KernelWidth + 16))).Clear();
        for (int c = 0; c < channels; c++)
            for (int h = 0; h < g.Height; h++)
                new ReadOnlySpan<float>(x + ((long)c * g.Height + h) * g.Width, g.Width)
                    .CopyTo(new Span<float>(xpad + c * plane + (long)(h + g.PadHeight) * wp + g.PadWidth, g.Width));
        // dyᵀ with rows widened to wp (zeros past ow).
        int q = oh * wp;
        new Span<float>(dyT, q * filters).Clear();
        TransposeRows(dy, filters, oh, ow, wp, dyT);
        // Tap t's rows of dWᵀ are (c·taps + t): a [C, F] block with rows taps·F apart.
        int taps = g.KernelHeight * g.KernelWidth;
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
                gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.NoTranspose, channels, filters, q, 1f,
                    xpad + (long)kh * wp + kw, (int)plane, dyT, filters, 1f, dwT + (long)(kh * g.KernelWidth + kw) * filters, taps * filters);
    }

    /// <summary>
    /// dst[(r·rowStride + j)·F + f] = dy[f, r, j] for the <paramref name="rows"/> × <paramref name="cols"/>
    /// positions of each of the F planes (8×8 register transposes, the ragged edges one by one);
    /// positions past <paramref name="cols"/> in a widened row are left as they are.
    /// </summary>
    private static void TransposeRows(float* dy, int filters, int rows, int cols, int rowStride, float* dst)
    {
        // Unwidened rows are one run of positions: fewer ragged edges.
        if (rowStride == cols) (rows, cols, rowStride) = (1, rows * cols, rows * cols);
        int f8 = TransposeKernels.Accelerated ? filters / 8 * 8 : 0, j8 = TransposeKernels.Accelerated ? cols / 8 * 8 : 0;
        long spatial = (long)rows * cols;
        for (int r = 0; r < rows; r++)
        {
            float* src = dy + (long)r * cols, d = dst + (long)r * rowStride * filters;
            for (int f = 0; f < f8; f += 8)
                for (int j = 0; j < j8; j += 8)
                    TransposeKernels.Block8(src + f * spatial + j, (nint)spatial, d + (long)j * filters + f, filters);
            for (int f = 0; f < filters; f++)
                for (int j = f < f8 ? j8 : 0; j < cols; j++)
                    d[(long)j * filters + f] = src[f * spatial + j];
        }
    }

    /// <summary>dW [F, patch] = the transpose of the sum of the pieces' dWᵀ [patch, F].</summary>
    public void AddInto(float* dWeights, int parts)
    {
        int patch = G.PatchSize, filters = Filters, count = checked((int)WeightCount);
        float* total = Weights(0);
        for (int p = 1; p < parts; p++) SimdMath.AddInPlace(total, Weights(p), count);
        for (int f = 0; f < filters; f++)
            for (int k = 0; k < patch; k++)
                dWeights[(long)f * patch + k] = total[(long)k * filters + f];
    }
}
