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
/// <para>The vector path needs stride 1, no padding and OW ≥ 8 (<see cref="Vectorized"/>): then
/// input row oh + kh, columns ow + kw … ow + kw + 7 is one load, and a lane never leaves the
/// image. Outputs go in 8-wide chunks along ow; the last chunk steps back to overlap the one
/// before (the forward rewrites the same values; the gradient masks the overlapping lanes off).
/// Filters go in blocks of <see cref="Block"/>; a short last block repeats the last filter and
/// does not store the repeats. Every other geometry takes the scalar loops.</para>
/// <para>Pieces split the batch: the forward writes only its own images; the gradient sums its
/// images into its own double partials (float vector sums per image and tap, then double),
/// which the caller adds.</para>
/// </summary>
internal sealed unsafe class DirectConvWork(NativeScratch[] scratch) : IParallelWork
{
    public const int Block = 8;
    private const int Lanes = 8;

    public bool Gradient;
    /// <summary>The input; the filters and biases (forward); y (forward) or dy (gradient), both NCHW.</summary>
    public float* X, Weights, Bias, Y;
    public ConvGeometry G;
    public int Filters;

    public static bool Vectorized(in ConvGeometry g) =>
        Vector256.IsHardwareAccelerated && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.PadHeight == 0 && g.PadWidth == 0 && g.OutputWidth >= Lanes;

    /// <summary>Piece <paramref name="part"/>'s double sums: [Filters, patch] weight gradients, then [Filters] bias gradients.</summary>
    public double* Partial(int part) => scratch[part].Get<double>((long)Filters * (G.PatchSize + 1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int parts)
    {
        var (start, end) = RangeWork.Chunk(G.Batch, part, parts);
        bool vector = Vectorized(G);
        if (!Gradient)
        {
            for (int n = start; n < end; n++)
                if (vector) ForwardImage(n); else ForwardImageScalar(n);
            return;
        }
        double* acc = Partial(part);
        new Span<double>(acc, Filters * (G.PatchSize + 1)).Clear();
        for (int n = start; n < end; n++)
            if (vector) GradientImage(n, acc); else GradientImageScalar(n, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardImage(int n)
    {
        ConvGeometry g = G;
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
        float* image = X + (long)n * channels * h * w;
        float* output = Y + (long)n * filters * plane;
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
                for (int ow = 0; ; ow = Math.Min(ow + Lanes, ow1 - Lanes))
                {
                    Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    Vector256<float> a4 = default, a5 = default, a6 = default, a7 = default;
                    int tap = 0;
                    for (int c = 0; c < channels; c++)
                        for (int kh = 0; kh < kh1; kh++)
                        {
                            float* src = image + ((long)c * h + oh + kh) * w + ow;
                            for (int kw = 0; kw < kw1; kw++, tap++)
                            {
                                var v = Vector256.Load(src + kw);
                                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(w0[tap]), v, a0);
                                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(w1[tap]), v, a1);
                                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(w2[tap]), v, a2);
                                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(w3[tap]), v, a3);
                                a4 = Vector256.FusedMultiplyAdd(Vector256.Create(w4[tap]), v, a4);
                                a5 = Vector256.FusedMultiplyAdd(Vector256.Create(w5[tap]), v, a5);
                                a6 = Vector256.FusedMultiplyAdd(Vector256.Create(w6[tap]), v, a6);
                                a7 = Vector256.FusedMultiplyAdd(Vector256.Create(w7[tap]), v, a7);
                            }
                        }
                    float* dst = output + (long)f0 * plane + (long)oh * ow1 + ow;
                    Store(dst, a0, f0, 0, stored, plane); Store(dst, a1, f0, 1, stored, plane);
                    Store(dst, a2, f0, 2, stored, plane); Store(dst, a3, f0, 3, stored, plane);
                    Store(dst, a4, f0, 4, stored, plane); Store(dst, a5, f0, 5, stored, plane);
                    Store(dst, a6, f0, 6, stored, plane); Store(dst, a7, f0, 7, stored, plane);
                    if (ow == ow1 - Lanes) break;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(float* dst, Vector256<float> sum, int f0, int i, int stored, long plane)
    {
        if (i < stored) (sum + Vector256.Create(Bias[f0 + i])).Store(dst + i * plane);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GradientImage(int n, double* acc)
    {
        ConvGeometry g = G;
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
        float* image = X + (long)n * channels * h * w;
        float* grad = Y + (long)n * filters * plane;
        double* biasAcc = acc + (long)filters * patch;
        for (int f = 0; f < filters; f++) biasAcc[f] += SimdMath.Sum(grad + f * plane, (int)plane);

        // The last chunk along ow starts at ow1 − 8 and overlaps the one before by this many lanes.
        int overlap = ow1 % Lanes == 0 ? 0 : Lanes - ow1 % Lanes;
        var tailMask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(overlap)).AsSingle();
        for (int f0 = 0; f0 < filters; f0 += 4)
        {
            float* d0 = grad + Math.Min(f0 + 0, filters - 1) * plane, d1 = grad + Math.Min(f0 + 1, filters - 1) * plane;
            float* d2 = grad + Math.Min(f0 + 2, filters - 1) * plane, d3 = grad + Math.Min(f0 + 3, filters - 1) * plane;
            int stored = Math.Min(4, filters - f0);
            int tap = 0;
            for (int c = 0; c < channels; c++)
                for (int kh = 0; kh < kh1; kh++)
                    for (int kw = 0; kw < kw1; kw++, tap++)
                    {
                        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                        for (int oh = 0; oh < oh1; oh++)
                        {
                            float* src = image + ((long)c * h + oh + kh) * w + kw;
                            long row = (long)oh * ow1;
                            for (int ow = 0; ; ow = Math.Min(ow + Lanes, ow1 - Lanes))
                            {
                                var v = Vector256.Load(src + ow);
                                if (ow == ow1 - Lanes && overlap != 0) v &= tailMask;
                                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(d0 + row + ow), v, s0);
                                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(d1 + row + ow), v, s1);
                                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(d2 + row + ow), v, s2);
                                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(d3 + row + ow), v, s3);
                                if (ow == ow1 - Lanes) break;
                            }
                        }
                        double* a = acc + (long)f0 * patch + tap;
                        a[0] += Vector256.Sum(s0);
                        if (stored > 1) a[patch] += Vector256.Sum(s1);
                        if (stored > 2) a[2 * patch] += Vector256.Sum(s2);
                        if (stored > 3) a[3 * patch] += Vector256.Sum(s3);
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
