using CnnNative.Core;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

internal enum PoolKind { MaxForward, MaxBackward, AvgForward, AvgBackward }

/// <summary>
/// Max and average pooling, one (n, c) plane per item: a plane's outputs read only that plane,
/// and the backward passes overwrite only that plane of dx, so pieces never collide.
/// Max pooling reads padding as −∞ and keeps the first maximum in window order (row by row):
/// a later element wins only when strictly greater. Because −∞ never is, padding can win
/// only as the window's first element, when no real element beats it.
/// </summary>
internal sealed unsafe class PoolWork : RangeWork
{
    public PoolKind Kind;
    public float* X, Y, Argmax;
    public PoolGeometry G;

    protected override void ExecuteRange(int start, int end)
    {
        PoolGeometry g = G;
        long inPlane = (long)g.Height * g.Width, outPlane = (long)g.OutputHeight * g.OutputWidth;
        for (int p = start; p < end; p++)
        {
            float* x = X + p * inPlane, y = Y + p * outPlane, a = Argmax + p * outPlane;
            switch (Kind)
            {
                case PoolKind.MaxForward: MaxForward(g, x, y, a); break;
                case PoolKind.MaxBackward: MaxBackward(g, y, a, x); break;
                case PoolKind.AvgForward: AvgForward(g, x, y); break;
                case PoolKind.AvgBackward: AvgBackward(g, y, x); break;
            }
        }
    }

    private static void MaxForward(in PoolGeometry g, float* x, float* y, float* argmax)
    {
        int ph = g.PoolHeight, pw = g.PoolWidth, h = g.Height, w = g.Width;
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++)
            {
                int iw0 = ow * g.StrideWidth - g.PadWidth;
                float best = float.NegativeInfinity;
                int winner = 0;
                for (int r = 0; r < ph; r++)
                {
                    int ih = ih0 + r;
                    if ((uint)ih >= (uint)h) continue;
                    float* row = x + (long)ih * w;
                    for (int q = 0; q < pw; q++)
                    {
                        int iw = iw0 + q;
                        if ((uint)iw >= (uint)w) continue;
                        float v = row[iw];
                        int index = r * pw + q;
                        if (index == 0 || v > best) { best = v; winner = index; }
                    }
                }
                *y++ = best;
                *argmax++ = winner;
            }
        }
    }

    private static void MaxBackward(in PoolGeometry g, float* dy, float* argmax, float* dx)
    {
        int pw = g.PoolWidth, h = g.Height, w = g.Width, window = g.PoolHeight * g.PoolWidth;
        new Span<float>(dx, h * w).Clear();
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++)
            {
                float a = *argmax++;
                float grad = *dy++;
                // A float argmax outside the window (NaN included) names no input: dropped.
                if (!(a >= 0f && a < window)) continue;
                int index = (int)a;
                int ih = ih0 + index / pw, iw = ow * g.StrideWidth - g.PadWidth + index % pw;
                if ((uint)ih < (uint)h && (uint)iw < (uint)w) dx[(long)ih * w + iw] += grad;
            }
        }
    }

    private static void AvgForward(in PoolGeometry g, float* x, float* y)
    {
        int ph = g.PoolHeight, pw = g.PoolWidth, h = g.Height, w = g.Width;
        float scale = 1f / (ph * pw);
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++)
            {
                int iw0 = ow * g.StrideWidth - g.PadWidth;
                int lo = Math.Max(0, -iw0), hi = Math.Min(pw, w - iw0);
                float sum = 0f;
                for (int r = 0; r < ph; r++)
                {
                    int ih = ih0 + r;
                    if ((uint)ih >= (uint)h) continue;
                    float* row = x + (long)ih * w + iw0;
                    for (int q = lo; q < hi; q++) sum += row[q];
                }
                *y++ = sum * scale;
            }
        }
    }

    private static void AvgBackward(in PoolGeometry g, float* dy, float* dx)
    {
        int ph = g.PoolHeight, pw = g.PoolWidth, h = g.Height, w = g.Width;
        float scale = 1f / (ph * pw);
        new Span<float>(dx, h * w).Clear();
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++)
            {
                int iw0 = ow * g.StrideWidth - g.PadWidth;
                int lo = Math.Max(0, -iw0), hi = Math.Min(pw, w - iw0);
                float share = *dy++ * scale;
                for (int r = 0; r < ph; r++)
                {
                    int ih = ih0 + r;
                    if ((uint)ih >= (uint)h) continue;
                    float* row = dx + (long)ih * w + iw0;
                    for (int q = lo; q < hi; q++) row[q] += share;
                }
            }
        }
    }
}
