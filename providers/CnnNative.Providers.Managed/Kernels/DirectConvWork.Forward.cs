using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnNative.Core;

namespace CnnNative.Providers.Managed.Kernels;

// The forward vector kernels (see the class summary in DirectConvWork.cs).
internal sealed unsafe partial class DirectConvWork
{
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
        float* bias = stackalloc float[Block]; // the block's biases, the last repeated like its filters
        for (int f0 = 0; f0 < filters; f0 += Block)
        {
            // A short last block repeats the last filter: loads stay in bounds, stores are skipped.
            float* w0 = Weights + (long)Math.Min(f0 + 0, filters - 1) * patch, w1 = Weights + (long)Math.Min(f0 + 1, filters - 1) * patch;
            float* w2 = Weights + (long)Math.Min(f0 + 2, filters - 1) * patch, w3 = Weights + (long)Math.Min(f0 + 3, filters - 1) * patch;
            float* w4 = Weights + (long)Math.Min(f0 + 4, filters - 1) * patch, w5 = Weights + (long)Math.Min(f0 + 5, filters - 1) * patch;
            float* w6 = Weights + (long)Math.Min(f0 + 6, filters - 1) * patch, w7 = Weights + (long)Math.Min(f0 + 7, filters - 1) * patch;
            int stored = Math.Min(Block, filters - f0);
            for (int i = 0; i < Block; i++) bias[i] = Bias[Math.Min(f0 + i, filters - 1)];
            for (int oh = 0; oh < oh1; oh++)
            {
                for (int ow = 0; ; ow += 3 * Lanes)
                {
                    int p0 = Math.Min(ow, lastChunk), p1 = Math.Min(ow + Lanes, lastChunk), p2 = Math.Min(ow + 2 * Lanes, lastChunk);
                    // The sums start at the bias, so a full block stores straight from registers.
                    Vector256<float> a0 = Vector256.Create(bias[0]), a1 = Vector256.Create(bias[1]), a2 = Vector256.Create(bias[2]), a3 = Vector256.Create(bias[3]);
                    Vector256<float> a4 = Vector256.Create(bias[4]), a5 = Vector256.Create(bias[5]), a6 = Vector256.Create(bias[6]), a7 = Vector256.Create(bias[7]);
                    Vector256<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5, b6 = a6, b7 = a7;
                    Vector256<float> c0 = a0, c1 = a1, c2 = a2, c3 = a3, c4 = a4, c5 = a5, c6 = a6, c7 = a7;
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
                    float* dst = output + (long)f0 * plane + (long)oh * ow1;
                    if (stored == Block)
                    {
                        a0.Store(dst + p0); b0.Store(dst + p1); c0.Store(dst + p2); dst += plane;
                        a1.Store(dst + p0); b1.Store(dst + p1); c1.Store(dst + p2); dst += plane;
                        a2.Store(dst + p0); b2.Store(dst + p1); c2.Store(dst + p2); dst += plane;
                        a3.Store(dst + p0); b3.Store(dst + p1); c3.Store(dst + p2); dst += plane;
                        a4.Store(dst + p0); b4.Store(dst + p1); c4.Store(dst + p2); dst += plane;
                        a5.Store(dst + p0); b5.Store(dst + p1); c5.Store(dst + p2); dst += plane;
                        a6.Store(dst + p0); b6.Store(dst + p1); c6.Store(dst + p2); dst += plane;
                        a7.Store(dst + p0); b7.Store(dst + p1); c7.Store(dst + p2);
                    }
                    else
                    {
                        sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3; sums[4] = a4; sums[5] = a5; sums[6] = a6; sums[7] = a7;
                        sums[8] = b0; sums[9] = b1; sums[10] = b2; sums[11] = b3; sums[12] = b4; sums[13] = b5; sums[14] = b6; sums[15] = b7;
                        sums[16] = c0; sums[17] = c1; sums[18] = c2; sums[19] = c3; sums[20] = c4; sums[21] = c5; sums[22] = c6; sums[23] = c7;
                        for (int i = 0; i < stored; i++, dst += plane)
                        {
                            sums[i].Store(dst + p0);
                            sums[Block + i].Store(dst + p1);
                            sums[2 * Block + i].Store(dst + p2);
                        }
                    }
                    if (p2 == lastChunk) break;
                }
            }
        }
    }

    /// <summary>
    /// The AVX-512 forward for rows where 16-wide chunks waste fewer lanes than 24-wide passes
    /// (<see cref="Wide"/>: 28 outputs per row take two chunks, 32 lanes, against 48): blocks of
    /// 8 filters × 2 chunks (32 outputs along ow) in 16 vector sums, each tap 2 input loads and 8
    /// weight broadcasts for 16 multiply-adds. The second chunk is clamped to the row's last one
    /// and overlaps the first; it rewrites the same values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardImageWide(int n, float* image, in ConvGeometry g)
    {
        int filters = Filters, channels = g.Channels, kh1 = g.KernelHeight, kw1 = g.KernelWidth;
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth, patch = g.PatchSize;
        long plane = (long)oh1 * ow1;
        int lastChunk = ow1 - WideLanes;
        float* output = Y + (long)n * filters * plane;
        Span<Vector512<float>> sums = stackalloc Vector512<float>[2 * Block];
        float* bias = stackalloc float[Block]; // the block's biases, the last repeated like its filters
        for (int f0 = 0; f0 < filters; f0 += Block)
        {
            float* w0 = Weights + (long)Math.Min(f0 + 0, filters - 1) * patch, w1 = Weights + (long)Math.Min(f0 + 1, filters - 1) * patch;
            float* w2 = Weights + (long)Math.Min(f0 + 2, filters - 1) * patch, w3 = Weights + (long)Math.Min(f0 + 3, filters - 1) * patch;
            float* w4 = Weights + (long)Math.Min(f0 + 4, filters - 1) * patch, w5 = Weights + (long)Math.Min(f0 + 5, filters - 1) * patch;
            float* w6 = Weights + (long)Math.Min(f0 + 6, filters - 1) * patch, w7 = Weights + (long)Math.Min(f0 + 7, filters - 1) * patch;
            int stored = Math.Min(Block, filters - f0);
            for (int i = 0; i < Block; i++) bias[i] = Bias[Math.Min(f0 + i, filters - 1)];
            for (int oh = 0; oh < oh1; oh++)
            {
                for (int ow = 0; ; ow += 2 * WideLanes)
                {
                    int p0 = Math.Min(ow, lastChunk), p1 = Math.Min(ow + WideLanes, lastChunk);
                    Vector512<float> a0 = Vector512.Create(bias[0]), a1 = Vector512.Create(bias[1]), a2 = Vector512.Create(bias[2]), a3 = Vector512.Create(bias[3]);
                    Vector512<float> a4 = Vector512.Create(bias[4]), a5 = Vector512.Create(bias[5]), a6 = Vector512.Create(bias[6]), a7 = Vector512.Create(bias[7]);
                    Vector512<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5, b6 = a6, b7 = a7;
                    int tap = 0;
                    for (int c = 0; c < channels; c++)
                        for (int kh = 0; kh < kh1; kh++)
                        {
                            float* src = image + ((long)c * h + oh + kh) * w;
                            for (int kw = 0; kw < kw1; kw++, tap++)
                            {
                                var x0 = Vector512.Load(src + p0 + kw);
                                var x1 = Vector512.Load(src + p1 + kw);
                                var k = Vector512.Create(w0[tap]);
                                a0 = Vector512.FusedMultiplyAdd(k, x0, a0); b0 = Vector512.FusedMultiplyAdd(k, x1, b0);
                                k = Vector512.Create(w1[tap]);
                                a1 = Vector512.FusedMultiplyAdd(k, x0, a1); b1 = Vector512.FusedMultiplyAdd(k, x1, b1);
                                k = Vector512.Create(w2[tap]);
                                a2 = Vector512.FusedMultiplyAdd(k, x0, a2); b2 = Vector512.FusedMultiplyAdd(k, x1, b2);
                                k = Vector512.Create(w3[tap]);
                                a3 = Vector512.FusedMultiplyAdd(k, x0, a3); b3 = Vector512.FusedMultiplyAdd(k, x1, b3);
                                k = Vector512.Create(w4[tap]);
                                a4 = Vector512.FusedMultiplyAdd(k, x0, a4); b4 = Vector512.FusedMultiplyAdd(k, x1, b4);
                                k = Vector512.Create(w5[tap]);
                                a5 = Vector512.FusedMultiplyAdd(k, x0, a5); b5 = Vector512.FusedMultiplyAdd(k, x1, b5);
                                k = Vector512.Create(w6[tap]);
                                a6 = Vector512.FusedMultiplyAdd(k, x0, a6); b6 = Vector512.FusedMultiplyAdd(k, x1, b6);
                                k = Vector512.Create(w7[tap]);
                                a7 = Vector512.FusedMultiplyAdd(k, x0, a7); b7 = Vector512.FusedMultiplyAdd(k, x1, b7);
                            }
                        }
                    float* dst = output + (long)f0 * plane + (long)oh * ow1;
                    if (stored == Block)
                    {
                        a0.Store(dst + p0); b0.Store(dst + p1); dst += plane;
                        a1.Store(dst + p0); b1.Store(dst + p1); dst += plane;
                        a2.Store(dst + p0); b2.Store(dst + p1); dst += plane;
                        a3.Store(dst + p0); b3.Store(dst + p1); dst += plane;
                        a4.Store(dst + p0); b4.Store(dst + p1); dst += plane;
                        a5.Store(dst + p0); b5.Store(dst + p1); dst += plane;
                        a6.Store(dst + p0); b6.Store(dst + p1); dst += plane;
                        a7.Store(dst + p0); b7.Store(dst + p1);
                    }
                    else
                    {
                        sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3; sums[4] = a4; sums[5] = a5; sums[6] = a6; sums[7] = a7;
                        sums[8] = b0; sums[9] = b1; sums[10] = b2; sums[11] = b3; sums[12] = b4; sums[13] = b5; sums[14] = b6; sums[15] = b7;
                        for (int i = 0; i < stored; i++, dst += plane)
                        {
                            sums[i].Store(dst + p0);
                            sums[Block + i].Store(dst + p1);
                        }
                    }
                    if (p1 == lastChunk) break;
                }
            }
        }
    }
}
