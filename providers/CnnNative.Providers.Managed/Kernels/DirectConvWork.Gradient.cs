using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnNative.Core;

namespace CnnNative.Providers.Managed.Kernels;

// The weight-gradient vector kernels (see the class summary in DirectConvWork.cs).
internal sealed unsafe partial class DirectConvWork
{
    /// <summary>
    /// Image n's bias gradients (sums of dy), then its weight gradients by the kernel whose tap
    /// blocks waste fewer lanes: 3 taps along a kernel row for kernels 1–3 and 6 wide (3×3 layers),
    /// 5 for the others (5×5 layers).
    /// </summary>
    /// <param name="n">The image's index in the batch (which dy it reads).</param>
    /// <param name="image">Image n, or its zero-padded copy.</param>
    /// <param name="g">The geometry of <paramref name="image"/> (stride 1, no padding).</param>
    /// <param name="acc">This worker's double accumulator of the weight gradient.</param>
    private void GradientImage(int n, float* image, in ConvGeometry g, double* acc)
    {
        int filters = Filters;
        long plane = (long)g.OutputHeight * g.OutputWidth;
        float* grad = Y + (long)n * filters * plane;
        double* biasAcc = acc + (long)filters * g.PatchSize;
        for (int f = 0; f < filters; f++) biasAcc[f] += SimdMath.Sum(grad + f * plane, (int)plane);

        // The last chunk along ow starts at ow1 − 8 and overlaps the one before by this many
        // lanes; its lanes there are zeroed so no product is counted twice.
        int ow1 = g.OutputWidth, kw1 = g.KernelWidth;
        int overlap = ow1 % Lanes == 0 ? 0 : Lanes - ow1 % Lanes;
        var tailMask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(overlap)).AsSingle();
        if (3 * ((kw1 + 2) / 3) < 5 * ((kw1 + 4) / 5)) GradientThreeTaps(grad, image, g, acc, overlap, tailMask);
        else GradientFiveTaps(grad, image, g, acc, overlap, tailMask);
    }

    /// <summary>
    /// Blocks of 8 filters × 3 taps along a kernel row: 24 vector sums stay in registers while
    /// the block walks the image, so each chunk costs 3 x loads and 8 dy loads for 24 multiply-adds.
    /// Short blocks repeat the last filter or tap (in bounds) and do not store the repeats.
    /// grad is image n's dy; tailMask zeroes the <c>overlap</c> lanes of a row's last chunk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GradientThreeTaps(float* grad, float* image, in ConvGeometry g, double* acc, int overlap, Vector256<float> tailMask)
    {
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
        Span<Vector256<float>> sums = stackalloc Vector256<float>[3 * Block];
        for (int f0 = 0; f0 < filters; f0 += Block)
        {
            float* g0 = grad + Math.Min(f0 + 0, filters - 1) * plane, g1 = grad + Math.Min(f0 + 1, filters - 1) * plane;
            float* g2 = grad + Math.Min(f0 + 2, filters - 1) * plane, g3 = grad + Math.Min(f0 + 3, filters - 1) * plane;
            float* g4 = grad + Math.Min(f0 + 4, filters - 1) * plane, g5 = grad + Math.Min(f0 + 5, filters - 1) * plane;
            float* g6 = grad + Math.Min(f0 + 6, filters - 1) * plane, g7 = grad + Math.Min(f0 + 7, filters - 1) * plane;
            int storedFilters = Math.Min(Block, filters - f0);
            for (int c = 0; c < channels; c++)
                for (int kh = 0; kh < kh1; kh++)
                    for (int kw0 = 0; kw0 < kw1; kw0 += 3)
                    {
                        int k1 = Math.Min(kw0 + 1, kw1 - 1), k2 = Math.Min(kw0 + 2, kw1 - 1);
                        Vector256<float> s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
                        Vector256<float> s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
                        Vector256<float> s40 = default, s41 = default, s42 = default, s50 = default, s51 = default, s52 = default;
                        Vector256<float> s60 = default, s61 = default, s62 = default, s70 = default, s71 = default, s72 = default;
                        for (int oh = 0; oh < oh1; oh++)
                        {
                            float* src = image + ((long)c * h + oh + kh) * w;
                            long row = (long)oh * ow1;
                            for (int ow = 0; ; ow = Math.Min(ow + Lanes, ow1 - Lanes))
                            {
                                var x0 = Vector256.Load(src + ow + kw0);
                                var x1 = Vector256.Load(src + ow + k1);
                                var x2 = Vector256.Load(src + ow + k2);
                                bool last = ow == ow1 - Lanes;
                                if (last && overlap != 0) { x0 &= tailMask; x1 &= tailMask; x2 &= tailMask; }
                                var d = Vector256.Load(g0 + row + ow);
                                s00 = Vector256.FusedMultiplyAdd(d, x0, s00); s01 = Vector256.FusedMultiplyAdd(d, x1, s01); s02 = Vector256.FusedMultiplyAdd(d, x2, s02);
                                d = Vector256.Load(g1 + row + ow);
                                s10 = Vector256.FusedMultiplyAdd(d, x0, s10); s11 = Vector256.FusedMultiplyAdd(d, x1, s11); s12 = Vector256.FusedMultiplyAdd(d, x2, s12);
                                d = Vector256.Load(g2 + row + ow);
                                s20 = Vector256.FusedMultiplyAdd(d, x0, s20); s21 = Vector256.FusedMultiplyAdd(d, x1, s21); s22 = Vector256.FusedMultiplyAdd(d, x2, s22);
                                d = Vector256.Load(g3 + row + ow);
                                s30 = Vector256.FusedMultiplyAdd(d, x0, s30); s31 = Vector256.FusedMultiplyAdd(d, x1, s31); s32 = Vector256.FusedMultiplyAdd(d, x2, s32);
                                d = Vector256.Load(g4 + row + ow);
                                s40 = Vector256.FusedMultiplyAdd(d, x0, s40); s41 = Vector256.FusedMultiplyAdd(d, x1, s41); s42 = Vector256.FusedMultiplyAdd(d, x2, s42);
                                d = Vector256.Load(g5 + row + ow);
                                s50 = Vector256.FusedMultiplyAdd(d, x0, s50); s51 = Vector256.FusedMultiplyAdd(d, x1, s51); s52 = Vector256.FusedMultiplyAdd(d, x2, s52);
                                d = Vector256.Load(g6 + row + ow);
                                s60 = Vector256.FusedMultiplyAdd(d, x0, s60); s61 = Vector256.FusedMultiplyAdd(d, x1, s61); s62 = Vector256.FusedMultiplyAdd(d, x2, s62);
                                d = Vector256.Load(g7 + row + ow);
                                s70 = Vector256.FusedMultiplyAdd(d, x0, s70); s71 = Vector256.FusedMultiplyAdd(d, x1, s71); s72 = Vector256.FusedMultiplyAdd(d, x2, s72);
                                if (last) break;
                            }
                        }
                        sums[0] = s00; sums[1] = s01; sums[2] = s02; sums[3] = s10; sums[4] = s11; sums[5] = s12;
                        sums[6] = s20; sums[7] = s21; sums[8] = s22; sums[9] = s30; sums[10] = s31; sums[11] = s32;
                        sums[12] = s40; sums[13] = s41; sums[14] = s42; sums[15] = s50; sums[16] = s51; sums[17] = s52;
                        sums[18] = s60; sums[19] = s61; sums[20] = s62; sums[21] = s70; sums[22] = s71; sums[23] = s72;
                        int storedTaps = Math.Min(3, kw1 - kw0);
                        double* a = acc + (long)f0 * patch + (c * kh1 + kh) * kw1 + kw0;
                        for (int i = 0; i < storedFilters; i++)
                            for (int j = 0; j < storedTaps; j++) a[(long)i * patch + j] += Vector256.Sum(sums[i * 3 + j]);
                    }
        }
    }

    /// <summary>
    /// Blocks of 4 filters × 5 taps along a kernel row: 20 vector sums stay in registers while
    /// the block walks the image, so each dy and x vector loaded feeds 5 or 4 multiply-adds.
    /// Short blocks repeat the last filter or tap (in bounds) and do not store the repeats.
    /// grad is image n's dy; tailMask zeroes the <c>overlap</c> lanes of a row's last chunk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GradientFiveTaps(float* grad, float* image, in ConvGeometry g, double* acc, int overlap, Vector256<float> tailMask)
    {
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
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
}
