using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// The convolution's weight gradient by GEMMs one image at a time, db = Σ_n the row sums of dy_n.
/// <para>Shifted (<see cref="Shifted"/>, stride 1 only): no im2col at all. With the image zero-padded to rows of
/// Wp = W + 2·PW and dy_n widened to the same row length (zeros past OW) and transposed to
/// [OH·Wp, F] once per image, the input under kernel tap (kh, kw) for every output position
/// q = oh·Wp + ow is the padded plane read from offset kh·Wp + kw on, so
/// dW[:, :, kh, kw]ᵀ += xpad_n shifted [C, OH·Wp] · dyᵀ [OH·Wp, F] is one GEMM per tap with A read
/// in place (channel rows a plane apart) and the same B for all taps — read in place too when F
/// fits one micro-tile (see <see cref="SgemmEngine"/>), so nothing is packed at all. The widened
/// columns multiply zeros. Each piece sums its taps in [KH·KW, C, F]; <see cref="AddInto"/> adds
/// them into dW. (The other way round, dW_tap = dy · xpad shiftedᵀ, packs the shifted image once per
/// tap: measured 2× slower on 16-channel layers.)</para>
/// <para>Otherwise: dW += dy_n [F, OH·OW] · im2col(x_n) [OH·OW, patch], dy_n being the A
/// operand as it lies; one image's im2col rows stay in L2 between being written and read.</para>
/// Pieces take contiguous images and run their GEMMs on their own thread (<see cref="SgemmEngine.RunOnThisThread"/>).
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
        : (long)G.OutputHeight * G.OutputWidth * G.PatchSize;

    /// <summary>Piece <paramref name="part"/>'s slot: [Filters] double bias sums, its float weight sums, then its working copy.</summary>
    public double* Partial(int part) => scratch[part].Get<double>(Filters + (WeightCount + WorkCount) / 2 + 32);

    /// <summary>Piece <paramref name="part"/>'s weight sums: [KH·KW, C, F] when shifted, else [F, patch].</summary>
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
                Im2ColWork.Image(g, X + n * image, work);
                gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.NoTranspose, filters, g.PatchSize, spatial, 1f,
                    dy, spatial, work, g.PatchSize, 1f, dw, g.PatchSize);
            }
            for (int f = 0; f < filters; f++) db[f] += SimdMath.Sum(dy + (long)f * spatial, spatial);
        }
    }

    private void ShiftedImage(int part, float* x, float* dy, float* taps, float* work)
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
        // dyᵀ with rows widened to wp: dyT[r·wp + j, f] = dy[f, r, j] for j < ow, zero past it.
        int q = oh * wp;
        new Span<float>(dyT, q * filters).Clear();
        int f8 = TransposeKernels.Accelerated ? filters / 8 * 8 : 0, j8 = TransposeKernels.Accelerated ? ow / 8 * 8 : 0;
        long spatial = (long)oh * ow;
        for (int r = 0; r < oh; r++)
        {
            float* src = dy + (long)r * ow, dst = dyT + (long)r * wp * filters;
            for (int f = 0; f < f8; f += 8)
                for (int j = 0; j < j8; j += 8)
                    TransposeKernels.Block8(src + f * spatial + j, (nint)spatial, dst + (long)j * filters + f, filters);
            for (int f = 0; f < filters; f++)
                for (int j = f < f8 ? j8 : 0; j < ow; j++)
                    dst[(long)j * filters + f] = src[f * spatial + j];
        }
        long perTap = (long)filters * channels;
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
                gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.NoTranspose, channels, filters, q, 1f,
                    xpad + (long)kh * wp + kw, (int)plane, dyT, filters, 1f, taps + (kh * g.KernelWidth + kw) * perTap, filters);
    }

    /// <summary>dW = the sum of the pieces' weight sums, in dW's [F, C, KH, KW] order.</summary>
    public void AddInto(float* dWeights, int parts)
    {
        var g = G;
        int count = checked((int)WeightCount);
        if (!Shifted)
        {
            new ReadOnlySpan<float>(Weights(0), count).CopyTo(new Span<float>(dWeights, count));
            for (int p = 1; p < parts; p++) SimdMath.AddInPlace(dWeights, Weights(p), count);
            return;
        }
        int taps = g.KernelHeight * g.KernelWidth, channels = g.Channels, filters = Filters;
        long perTap = (long)filters * channels;
        new Span<float>(dWeights, count).Clear();
        for (int p = 0; p < parts; p++)
        {
            float* w = Weights(p);
            for (int t = 0; t < taps; t++)
                for (int c = 0; c < channels; c++)
                    for (int f = 0; f < filters; f++)
                        dWeights[((long)f * channels + c) * taps + t] += w[t * perTap + (long)c * filters + f];
        }
    }
}
