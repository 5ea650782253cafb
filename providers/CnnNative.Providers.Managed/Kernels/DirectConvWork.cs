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
/// geometry reads a zero-padded copy of each image instead (small: this path is for few channels). Outputs go in 8-wide chunks along ow; the last chunk steps back to overlap the one
/// before (the forward rewrites the same values; the gradient masks the overlapping lanes off).
/// Filters go in blocks of <see cref="Block"/>; a short last block repeats the last filter and
/// does not store the repeats. Every other geometry takes the scalar loops.</para>
/// <para>Pieces split the batch: the forward writes only its own images; the gradient sums its
/// images into its own double partials (float vector sums per image and tap, then double),
/// which the caller adds.</para>
/// </summary>
internal sealed unsafe class DirectConvWork(NativeScratch[] scratch) : IParallelWork, IPartialSums
{
    public const int Block = 8;
    private const int Lanes = 8;

    public bool Gradient;
    /// <summary>The input; the filters and biases (forward); y (forward) or dy (gradient), both NCHW.</summary>
    public float* X, Weights, Bias, Y;
    public ConvGeometry G;
    public int Filters;

    public static bool Vectorized(in ConvGeometry g) =>
        Vector256.IsHardwareAccelerated && g.StrideHeight == 1 && g.StrideWidth == 1 && g.OutputWidth >= Lanes;

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
        bool vector = Vectorized(g), padded = vector && Padded(g);
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
            if (Gradient) GradientImage(n, x, image, acc); else ForwardImage(n, x, image);
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

    /// <summary>
    /// Blocks of 8 filters × 3 chunks (24 outputs along ow): 24 vector sums in registers, so
    /// each tap costs 3 input loads and 8 weight broadcasts for 24 multiply-adds. Chunks past the
    /// row's end are clamped to its last chunk; they recompute and rewrite the same values.
    /// </summary>
    /// <param name="n">The image's index in the batch (where its output goes).</param>
    /// <param name="image">Image n, or its zero-padded copy.</param>
    /// <param name="g">The geometry of <paramref name="image"/>: stride 1, no padding.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardImage(int n, float* image, in ConvGeometry g)
    {
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
        int lastChunk = ow1 - Lanes;
        float* output = Y + (long)n * filters * plane;
        Span<Vector256<float>> sums = stackalloc Vector256<float>[3 * Block];
        for (int f0 = 0; f0 < filters; f0 += Block)
        {
            // A short last block repeats the last filter: loads stay in bounds, stores are skipped.
            float* w0 = Weights + (long)Math.Min(f0 + 0, filters - 1) * patch, w1 = Weights + (long)Math.Min(f0 + 1, filters - 1) * patch;
            float* w2 = Weights + (long)Math.Min(f0 + 2, filters - 1) * patch, w3 = Weights + (long)Math.Min(f0 + 3, filters - 1) * patch;
            float* w4 = Weights + (long)Math.Min(f0 + 4, filters - 1) * patch, w5 = Weights + (long)Math.Min(f0 + 5, filters - 1) * patch;
            float* w6 = Weights + (long)Math.Min(f0 + 6, filters - 1) * patch, w7 = Weights + (long)Math.Min(f0 + 7, filters - 1) * patch;
            int stored = Math.Min(Block, filters - f0);
            for (int oh = 0; oh < oh1; oh++)
            {
                for (int ow = 0; ; ow += 3 * Lanes)
                {
                    int p0 = Math.Min(ow, lastChunk), p1 = Math.Min(ow + Lanes, lastChunk), p2 = Math.Min(ow + 2 * Lanes, lastChunk);
                    Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                    Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                    Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
                    int tap = 0;
                    for (int c = 0; c < channels; c++)
                        for (int kh = 0; kh < kh1; kh++)
                        {
                            float* src = image + ((long)c * h + oh + kh) * w;
                            for (int kw = 0; kw < kw1; kw++, tap++)
                            {
                                var x0 = Vector256.Load(src + p0 + kw);
                                var x1 = Vector256.Load(src + p1 + kw);
                                var x2 = Vector256.Load(src + p2 + kw);
                                var k = Vector256.Create(w0[tap]);
                                a0 = Vector256.FusedMultiplyAdd(k, x0, a0); b0 = Vector256.FusedMultiplyAdd(k, x1, b0); c0 = Vector256.FusedMultiplyAdd(k, x2, c0);
                                k = Vector256.Create(w1[tap]);
                                a1 = Vector256.FusedMultiplyAdd(k, x0, a1); b1 = Vector256.FusedMultiplyAdd(k, x1, b1); c1 = Vector256.FusedMultiplyAdd(k, x2, c1);
                                k = Vector256.Create(w2[tap]);
                                a2 = Vector256.FusedMultiplyAdd(k, x0, a2); b2 = Vector256.FusedMultiplyAdd(k, x1, b2); c2 = Vector256.FusedMultiplyAdd(k, x2, c2);
                                k = Vector256.Create(w3[tap]);
                                a3 = Vector256.FusedMultiplyAdd(k, x0, a3); b3 = Vector256.FusedMultiplyAdd(k, x1, b3); c3 = Vector256.FusedMultiplyAdd(k, x2, c3);
                                k = Vector256.Create(w4[tap]);
                                a4 = Vector256.FusedMultiplyAdd(k, x0, a4); b4 = Vector256.FusedMultiplyAdd(k, x1, b4); c4 = Vector256.FusedMultiplyAdd(k, x2, c4);
                                k = Vector256.Create(w5[tap]);
                                a5 = Vector256.FusedMultiplyAdd(k, x0, a5); b5 = Vector256.FusedMultiplyAdd(k, x1, b5); c5 = Vector256.FusedMultiplyAdd(k, x2, c5);
                                k = Vector256.Create(w6[tap]);
                                a6 = Vector256.FusedMultiplyAdd(k, x0, a6); b6 = Vector256.FusedMultiplyAdd(k, x1, b6); c6 = Vector256.FusedMultiplyAdd(k, x2, c6);
                                k = Vector256.Create(w7[tap]);
                                a7 = Vector256.FusedMultiplyAdd(k, x0, a7); b7 = Vector256.FusedMultiplyAdd(k, x1, b7); c7 = Vector256.FusedMultiplyAdd(k, x2, c7);
                            }
                        }
                    sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3; sums[4] = a4; sums[5] = a5; sums[6] = a6; sums[7] = a7;
                    sums[8] = b0; sums[9] = b1; sums[10] = b2; sums[11] = b3; sums[12] = b4; sums[13] = b5; sums[14] = b6; sums[15] = b7;
                    sums[16] = c0; sums[17] = c1; sums[18] = c2; sums[19] = c3; sums[20] = c4; sums[21] = c5; sums[22] = c6; sums[23] = c7;
                    float* dst = output + (long)f0 * plane + (long)oh * ow1;
                    for (int i = 0; i < stored; i++)
                    {
                        var bias = Vector256.Create(Bias[f0 + i]);
                        float* d = dst + i * plane;
                        (sums[i] + bias).Store(d + p0);
                        (sums[Block + i] + bias).Store(d + p1);
                        (sums[2 * Block + i] + bias).Store(d + p2);
                    }
                    if (p2 == lastChunk) break;
                }
            }
        }
    }

    /// <summary>
    /// Blocks of 4 filters × 5 taps along a kernel row: 20 vector sums stay in registers while
    /// the block walks the image, so each dy and x vector loaded feeds 5 or 4 multiply-adds.
    /// Short blocks repeat the last filter or tap (in bounds) and do not store the repeats.
    /// </summary>
    /// <param name="n">The image's index in the batch (which dy it reads).</param>
    /// <param name="image">Image n, or its zero-padded copy.</param>
    /// <param name="g">The geometry of <paramref name="image"/> (stride 1, no padding).</param>
    /// <param name="acc">This worker's double accumulator of the weight gradient.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GradientImage(int n, float* image, in ConvGeometry g, double* acc)
    {
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
        float* grad = Y + (long)n * filters * plane;
        double* biasAcc = acc + (long)filters * patch;
        for (int f = 0; f < filters; f++) biasAcc[f] += SimdMath.Sum(grad + f * plane, (int)plane);

        // The last chunk along ow starts at ow1 − 8 and overlaps the one before by this many
        // lanes; its dy lanes there are zeroed so no product is counted twice.
        int overlap = ow1 % Lanes == 0 ? 0 : Lanes - ow1 % Lanes;
        var tailMask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(overlap)).AsSingle();
        Span<Vector256<float>> sums = stackalloc Vector256<float>[20];
        for (int f0 = 0; f0 < filters; f0 += 4)
        {
            float* g0 = grad + Math.Min(f0 + 0, filters - 1) * plane, g1 = grad + Math.Min(f0 + 1, filters - 1) * plane;
            float* g2 = grad + Math.Min(f0 + 2, filters - 1) * plane, g3 = grad + Math.Min(f0 + 3, filters - 1) * plane;
            int storedFilters = Math.Min(4, filters - f0);
            for (int c = 0; c < channels; c++)
                for (int kh = 0; kh < kh1; kh++)
                    for (int kw0 = 0; kw0 < kw1; kw0 += 5)
                    {
                        int k1 = Math.Min(kw0 + 1, kw1 - 1), k2 = Math.Min(kw0 + 2, kw1 - 1);
                        int k3 = Math.Min(kw0 + 3, kw1 - 1), k4 = Math.Min(kw0 + 4, kw1 - 1);
                        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
                        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
                        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
                        Vector256<float> s30 = default, s31 = default, s32 = default, s33 = default, s34 = default;
                        for (int oh = 0; oh < oh1; oh++)
                        {
                            float* src = image + ((long)c * h + oh + kh) * w;
                            long row = (long)oh * ow1;
                            for (int ow = 0; ; ow = Math.Min(ow + Lanes, ow1 - Lanes))
                            {
                                var d0 = Vector256.Load(g0 + row + ow);
                                var d1 = Vector256.Load(g1 + row + ow);
                                var d2 = Vector256.Load(g2 + row + ow);
                                var d3 = Vector256.Load(g3 + row + ow);
                                bool last = ow == ow1 - Lanes;
                                if (last && overlap != 0) { d0 &= tailMask; d1 &= tailMask; d2 &= tailMask; d3 &= tailMask; }
                                var v = Vector256.Load(src + ow + kw0);
                                s00 = Vector256.FusedMultiplyAdd(d0, v, s00); s10 = Vector256.FusedMultiplyAdd(d1, v, s10);
                                s20 = Vector256.FusedMultiplyAdd(d2, v, s20); s30 = Vector256.FusedMultiplyAdd(d3, v, s30);
                                v = Vector256.Load(src + ow + k1);
                                s01 = Vector256.FusedMultiplyAdd(d0, v, s01); s11 = Vector256.FusedMultiplyAdd(d1, v, s11);
                                s21 = Vector256.FusedMultiplyAdd(d2, v, s21); s31 = Vector256.FusedMultiplyAdd(d3, v, s31);
                                v = Vector256.Load(src + ow + k2);
                                s02 = Vector256.FusedMultiplyAdd(d0, v, s02); s12 = Vector256.FusedMultiplyAdd(d1, v, s12);
                                s22 = Vector256.FusedMultiplyAdd(d2, v, s22); s32 = Vector256.FusedMultiplyAdd(d3, v, s32);
                                v = Vector256.Load(src + ow + k3);
                                s03 = Vector256.FusedMultiplyAdd(d0, v, s03); s13 = Vector256.FusedMultiplyAdd(d1, v, s13);
                                s23 = Vector256.FusedMultiplyAdd(d2, v, s23); s33 = Vector256.FusedMultiplyAdd(d3, v, s33);
                                v = Vector256.Load(src + ow + k4);
                                s04 = Vector256.FusedMultiplyAdd(d0, v, s04); s14 = Vector256.FusedMultiplyAdd(d1, v, s14);
                                s24 = Vector256.FusedMultiplyAdd(d2, v, s24); s34 = Vector256.FusedMultiplyAdd(d3, v, s34);
                                if (last) break;
                            }
                        }
                        sums[0] = s00; sums[1] = s01; sums[2] = s02; sums[3] = s03; sums[4] = s04;
                        sums[5] = s10; sums[6] = s11; sums[7] = s12; sums[8] = s13; sums[9] = s14;
                        sums[10] = s20; sums[11] = s21; sums[12] = s22; sums[13] = s23; sums[14] = s24;
                        sums[15] = s30; sums[16] = s31; sums[17] = s32; sums[18] = s33; sums[19] = s34;
                        int storedTaps = Math.Min(5, kw1 - kw0);
                        double* a = acc + (long)f0 * patch + (c * kh1 + kh) * kw1 + kw0;
                        for (int i = 0; i < storedFilters; i++)
                            for (int j = 0; j < storedTaps; j++) a[(long)i * patch + j] += Vector256.Sum(sums[i * 5 + j]);
                    }
        }
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
