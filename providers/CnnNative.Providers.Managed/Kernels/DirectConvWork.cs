using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnNative.Core;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Convolution without an im2col matrix, for small patches (SimpleConvNet's 1→30 5×5 layer):
/// the forward writes y in NCHW directly, the weight gradient reads dy in NCHW directly, so the
/// two transposes and the im2col matrix of the GEMM path — memory passes that cost more than
/// the math when the patch is 25 values — disappear.
/// <para>The vector path needs stride 1 and OW ≥ 8 (<see cref="Vectorized"/>): then input row
/// oh + kh, columns ow + kw … ow + kw + 7 is one load, and a lane never leaves the image. A padded
/// geometry reads a zero-padded copy of each image instead (small: this path is for few channels).
/// Outputs go in 8-wide chunks along ow (16-wide with AVX-512 where that wastes fewer lanes:
/// <see cref="Wide"/>); the last chunk steps back to overlap the one before (the forward
/// rewrites the same values; the gradient masks the overlapping lanes off).
/// Filters go in blocks of <see cref="Block"/>; a short last block repeats the last filter and
/// does not store the repeats. Every other geometry takes the scalar loops.</para>
/// <para>Pieces split the batch: the forward writes only its own images; the gradient sums its
/// images into its own double partials (float vector sums per image and tap, then double),
/// which the caller adds.</para>
/// </summary>
/// <param name="scratch">One scratch slot per worker.</param>
/// <param name="vector512">Whether the provider runs AVX-512 kernels: then the forward may take 16-wide chunks (<see cref="Wide"/>).</param>
internal sealed unsafe partial class DirectConvWork(NativeScratch[] scratch, bool vector512) : IParallelWork, IPartialSums
{
    public const int Block = 8;
    private const int Lanes = 8, WideLanes = 16;

    public bool Gradient;
    /// <summary>The input; the filters and biases (forward); y (forward) or dy (gradient), both NCHW.</summary>
    public float* X, Weights, Bias, Y;
    public ConvGeometry G;
    public int Filters;

    public static bool Vectorized(in ConvGeometry g) =>
        Vector256.IsHardwareAccelerated && g.StrideHeight == 1 && g.StrideWidth == 1 && g.OutputWidth >= Lanes;

    /// <summary>
    /// Whether the forward takes the AVX-512 kernel: where a row's 16-wide chunks, two per pass,
    /// compute fewer lanes than the 8-wide kernel's passes of three (28 outputs: 32 lanes against
    /// 48; 24 outputs stay on 8-wide chunks, which fit exactly).
    /// </summary>
    private bool Wide(in ConvGeometry g)
    {
        int ow1 = g.OutputWidth;
        return vector512 && ow1 >= WideLanes && 2 * WideLanes * Passes(ow1, 2 * WideLanes) < 3 * Lanes * Passes(ow1, 3 * Lanes);
        static int Passes(int outputs, int perPass) => (outputs + perPass - 1) / perPass;
    }

    private static bool Padded(in ConvGeometry g) => (g.PadHeight | g.PadWidth) != 0;

    /// <summary>One image of the input with its padding written out as zeros: what the vector path reads when the geometry pads.</summary>
    private static ConvGeometry PaddedImage(in ConvGeometry g) =>
        new(1, g.Channels, g.Height + 2 * g.PadHeight, g.Width + 2 * g.PadWidth, g.KernelHeight, g.KernelWidth, 1, 1, 0, 0);

    private long PartialCount => (long)Filters * (G.PatchSize + 1);

    /// <summary>
    /// Piece <paramref name="part"/>'s double sums: [Filters, patch] weight gradients, then [Filters] bias
    /// gradients; its zero-padded image copy follows them in the same slot.
    /// </summary>
    public double* Partial(int part)
    {
        long paddedFloats = Vectorized(G) && Padded(G) ? PaddedImage(G).InputLength : 0;
        return scratch[part].Get<double>(PartialCount + paddedFloats / 2 + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int parts)
    {
        var g = G;
        var (start, end) = RangeWork.Chunk(g.Batch, part, parts);
        bool vector = Vectorized(g), padded = vector && Padded(g), wide = vector && Wide(g);
        double* acc = Partial(part);
        // The vector kernels read whole rows; with padding they read a zero-padded copy of each image.
        var image = padded ? PaddedImage(g) : g;
        float* copy = (float*)(acc + PartialCount + 1);
        if (Gradient) new Span<double>(acc, (int)PartialCount).Clear();
        for (int n = start; n < end; n++)
        {
            if (!vector)
            {
                if (Gradient) GradientImageScalar(n, acc); else ForwardImageScalar(n);
                continue;
            }
            float* x = X + (long)n * g.Channels * g.Height * g.Width;
            if (padded) x = Pad(x, copy);
            if (Gradient) GradientImage(n, x, image, acc);
            else if (wide) ForwardImageWide(n, x, image);
            else ForwardImage(n, x, image);
        }
    }

    /// <summary>Writes <paramref name="x"/> (one image) into <paramref name="copy"/> with its padding as zeros; returns <paramref name="copy"/>.</summary>
    private float* Pad(float* x, float* copy)
    {
        var g = G;
        int hp = g.Height + 2 * g.PadHeight, wp = g.Width + 2 * g.PadWidth;
        new Span<float>(copy, g.Channels * hp * wp).Clear();
        for (int c = 0; c < g.Channels; c++)
            for (int ih = 0; ih < g.Height; ih++)
                new ReadOnlySpan<float>(x + ((long)c * g.Height + ih) * g.Width, g.Width)
                    .CopyTo(new Span<float>(copy + ((long)c * hp + ih + g.PadHeight) * wp + g.PadWidth, g.Width));
        return copy;
    }

    private void ForwardImageScalar(int n)
    {
        ConvGeometry g = G;
        int filters = Filters, patch = g.PatchSize;
        long plane = (long)g.OutputHeight * g.OutputWidth;
        for (int f = 0; f < filters; f++)
        {
            float* wf = Weights + (long)f * patch;
            float* dst = Y + ((long)n * filters + f) * plane;
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                {
                    float sum = Bias[f];
                    for (int c = 0, tap = 0; c < g.Channels; c++)
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++, tap++)
                                if (Inside(g, n, c, oh, ow, kh, kw, out long at)) sum += wf[tap] * X[at];
                    dst[(long)oh * g.OutputWidth + ow] = sum;
                }
        }
    }

    private void GradientImageScalar(int n, double* acc)
    {
        ConvGeometry g = G;
        int filters = Filters, patch = g.PatchSize;
        long plane = (long)g.OutputHeight * g.OutputWidth;
        for (int f = 0; f < filters; f++)
        {
            float* grad = Y + ((long)n * filters + f) * plane;
            acc[(long)filters * patch + f] += SimdMath.Sum(grad, (int)plane);
            for (int c = 0, tap = 0; c < g.Channels; c++)
                for (int kh = 0; kh < g.KernelHeight; kh++)
                    for (int kw = 0; kw < g.KernelWidth; kw++, tap++)
                    {
                        float sum = 0;
                        for (int oh = 0; oh < g.OutputHeight; oh++)
                            for (int ow = 0; ow < g.OutputWidth; ow++)
                                if (Inside(g, n, c, oh, ow, kh, kw, out long at)) sum += grad[(long)oh * g.OutputWidth + ow] * X[at];
                        acc[(long)f * patch + tap] += sum;
                    }
        }
    }

    /// <summary>Whether tap (kh, kw) of output (oh, ow) reads inside image n, channel c, and where.</summary>
    private static bool Inside(in ConvGeometry g, int n, int c, int oh, int ow, int kh, int kw, out long at)
    {
        int ih = oh * g.StrideHeight - g.PadHeight + kh, iw = ow * g.StrideWidth - g.PadWidth + kw;
        at = (((long)n * g.Channels + c) * g.Height + ih) * g.Width + iw;
        return ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width;
    }
}
