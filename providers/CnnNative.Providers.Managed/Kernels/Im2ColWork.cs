using System.Runtime.CompilerServices;
using CnnNative.Core;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// im2col and its adjoint col2im, one image per item: image n owns col rows
/// [n·OH·OW, (n+1)·OH·OW) and dx[n], so pieces never write the same memory.
/// Layout (defined on <see cref="IComputeProvider.Im2Col"/>): row (n·OH + oh)·OW + ow,
/// column (c·KH + kh)·KW + kw. Each row is one whole patch, written front to back.
/// </summary>
internal sealed unsafe class Im2ColWork : RangeWork
{
    public bool Backward;
    public float* X, Col;
    public ConvGeometry G;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void ExecuteRange(int start, int end)
    {
        for (int n = start; n < end; n++)
        {
            if (Backward) Col2ImImage(n);
            else Im2ColImage(n);
        }
    }

    private void Im2ColImage(int n)
    {
        ConvGeometry g = G;
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.Height, w = g.Width;
        long plane = (long)h * w;
        float* image = X + n * g.Channels * plane;
        float* row = Col + (long)n * g.OutputHeight * g.OutputWidth * g.PatchSize;
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++, row += g.PatchSize)
            {
                int iw0 = ow * g.StrideWidth - g.PadWidth;
                // The kernel columns that land inside the image for this output column.
                int lo = Math.Max(0, -iw0), hi = Math.Min(kw, w - iw0);
                float* dst = row;
                for (int c = 0; c < g.Channels; c++)
                {
                    float* src = image + c * plane;
                    for (int r = 0; r < kh; r++, dst += kw)
                    {
                        int ih = ih0 + r;
                        if ((uint)ih >= (uint)h || lo >= hi)
                        {
                            for (int q = 0; q < kw; q++) dst[q] = 0f;
                            continue;
                        }
                        float* s = src + (long)ih * w + iw0;
                        int q2 = 0;
                        for (; q2 < lo; q2++) dst[q2] = 0f;
                        for (; q2 < hi; q2++) dst[q2] = s[q2];
                        for (; q2 < kw; q2++) dst[q2] = 0f;
                    }
                }
            }
        }
    }

    private void Col2ImImage(int n)
    {
        ConvGeometry g = G;
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.Height, w = g.Width;
        long plane = (long)h * w;
        float* image = X + n * g.Channels * plane;
        new Span<float>(image, (int)(g.Channels * plane)).Clear();
        float* row = Col + (long)n * g.OutputHeight * g.OutputWidth * g.PatchSize;
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++, row += g.PatchSize)
            {
                int iw0 = ow * g.StrideWidth - g.PadWidth;
                int lo = Math.Max(0, -iw0), hi = Math.Min(kw, w - iw0);
                if (lo >= hi) continue;
                float* src = row;
                for (int c = 0; c < g.Channels; c++)
                {
                    float* dst = image + c * plane;
                    for (int r = 0; r < kh; r++, src += kw)
                    {
                        int ih = ih0 + r;
                        if ((uint)ih >= (uint)h) continue;
                        float* d = dst + (long)ih * w + iw0;
                        for (int q = lo; q < hi; q++) d[q] += src[q];
                    }
                }
            }
        }
    }
}
