using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// The convolution's weight gradient by GEMMs one image at a time, db = Σ_n the row sums of dy_n.
/// <para>Shifted (<see cref="Shifted"/>, stride 1 only): no im2col at all. With the image zero-padded to rows of
/// Wp = W + 2·PW and dy_n widened to the same row length (zeros past OW), the input under kernel
/// tap (kh, kw) for every output position q = oh·Wp + ow is the padded plane read from offset
/// kh·Wp + kw on, so dW[:, :, kh, kw] += dy_n [F, OH·Wp] · xpad_nᵀ shifted [OH·Wp, C] is one GEMM
/// per tap with B read in place (transposed, channel rows a plane apart); the widened columns
/// multiply zeros. Each piece sums its taps in [KH·KW, F, C]; <see cref="AddInto"/> adds them into dW.</para>
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

    /// <summary>Piece <paramref name="part"/>'s weight sums: [KH·KW, F, C] when shifted, else [F, patch].</summary>
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
        float* xpad = work, dyWide = work + channels * plane + g.KernelWidth + 16;
        // The padded image (zeros around, and KW values of slack past the last plane for the shifted reads).
        new Span<float>(xpad, checked((int)(channels * plane + g.KernelWidth + 16))).Clear();
        for (int c = 0; c < channels; c++)
            for (int h = 0; h < g.Height; h++)
                new ReadOnlySpan<float>(x + ((long)c * g.Height + h) * g.Width, g.Width)
                    .CopyTo(new Span<float>(xpad + c * plane + (long)(h + g.PadHeight) * wp + g.PadWidth, g.Width));
        // dy with rows widened to wp (zeros past ow).
        int q = oh * wp;
        for (int f = 0; f < filters; f++)
            for (int r = 0; r < oh; r++)
            {
                float* dst = dyWide + (long)f * q + (long)r * wp;
                new ReadOnlySpan<float>(dy + ((long)f * oh + r) * ow, ow).CopyTo(new Span<float>(dst, ow));
                new Span<float>(dst + ow, wp - ow).Clear();
            }
        long perTap = (long)filters * channels;
        for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
                gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.Transpose, filters, channels, q, 1f,
                    dyWide, q, xpad + (long)kh * wp + kw, (int)plane, 1f, taps + (kh * g.KernelWidth + kw) * perTap, channels);
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
        int taps = g.KernelHeight * g.KernelWidth, channels = g.Channels;
        long perTap = (long)Filters * channels;
        new Span<float>(dWeights, count).Clear();
        for (int p = 0; p < parts; p++)
        {
            float* w = Weights(p);
            for (int t = 0; t < taps; t++)
                for (long fc = 0; fc < perTap; fc++)
                    dWeights[fc * taps + t] += w[t * perTap + fc];
        }
    }
}
