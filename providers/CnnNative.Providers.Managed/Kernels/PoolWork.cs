using System.Runtime.CompilerServices;
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
/// The common 2×2 window with stride 2 and no padding has vector kernels (<see cref="Pool2x2"/>);
/// everything else takes the general loops here.
/// </summary>
internal sealed unsafe class PoolWork : RangeWork
{
    public PoolKind Kind;
    public float* X, Y, Argmax;
    public PoolGeometry G;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void ExecuteRange(int start, int end)
    {
        var s = new Shape(G);
        bool fast = Pool2x2.Applies(G);
        long inPlane = (long)s.H * s.W, outPlane = (long)s.OH * s.OW;
        for (int p = start; p < end; p++)
        {
            float* x = X + p * inPlane, y = Y + p * outPlane, a = Argmax + p * outPlane;
            switch (Kind)
            {
                case PoolKind.MaxForward: if (fast) Pool2x2.MaxForward(s, x, y, a); else MaxForward(s, x, y, a); break;
                case PoolKind.MaxBackward: if (fast) Pool2x2.MaxBackward(s, y, a, x); else MaxBackward(s, y, a, x); break;
                case PoolKind.AvgForward: if (fast) Pool2x2.AvgForward(s, x, y); else AvgForward(s, x, y); break;
                case PoolKind.AvgBackward: if (fast) Pool2x2.AvgBackward(s, y, x); else AvgBackward(s, y, x); break;
            }
        }
    }

    /// <summary>The geometry as plain fields, so the loops keep them in registers (stores through float* cannot alias them).</summary>
    internal readonly struct Shape(in PoolGeometry g)
    {
        public readonly int H = g.Height, W = g.Width, OH = g.OutputHeight, OW = g.OutputWidth;
        public readonly int PH = g.PoolHeight, PW = g.PoolWidth, SH = g.StrideHeight, SW = g.StrideWidth;
        public readonly int PadH = g.PadHeight, PadW = g.PadWidth;
    }

    private static void MaxForward(Shape s, float* x, float* y, float* argmax)
    {
        int ph = s.PH, pw = s.PW, h = s.H, w = s.W;
        for (int oh = 0; oh < s.OH; oh++)
        {
            int ih0 = oh * s.SH - s.PadH;
            int r0 = Math.Max(0, -ih0), r1 = Math.Min(ph, h - ih0);
            for (int ow = 0; ow < s.OW; ow++)
            {
                int iw0 = ow * s.SW - s.PadW;
                int q0 = Math.Max(0, -iw0), q1 = Math.Min(pw, w - iw0);
                // Window position 0 is real only when neither row 0 nor column 0 is padding;
                // otherwise padding (−∞) holds position 0 until a real element beats it.
                float best = float.NegativeInfinity;
                int winner = 0;
                bool firstIsReal = r0 == 0 && q0 == 0;
                for (int r = r0; r < r1; r++)
                {
                    float* row = x + (long)(ih0 + r) * w + iw0;
                    for (int q = q0; q < q1; q++)
                    {
                        float v = row[q];
                        if (v > best || firstIsReal)
                        {
                            best = v;
                            winner = r * pw + q;
                            firstIsReal = false;
                        }
                    }
                }
                y[ow] = best;
                argmax[ow] = winner;
            }
            y += s.OW;
            argmax += s.OW;
        }
    }

    private static void MaxBackward(Shape s, float* dy, float* argmax, float* dx)
    {
        int pw = s.PW, h = s.H, w = s.W, window = s.PH * s.PW;
        new Span<float>(dx, h * w).Clear();
        for (int oh = 0; oh < s.OH; oh++)
        {
            int ih0 = oh * s.SH - s.PadH;
            for (int ow = 0; ow < s.OW; ow++)
            {
                float a = *argmax++;
                float grad = *dy++;
                // A float argmax outside the window (NaN included) names no input: dropped.
                if (!(a >= 0f && a < window)) continue;
                int index = (int)a;
                int ih = ih0 + index / pw, iw = ow * s.SW - s.PadW + index % pw;
                if ((uint)ih < (uint)h && (uint)iw < (uint)w) dx[(long)ih * w + iw] += grad;
            }
        }
    }

    private static void AvgForward(Shape s, float* x, float* y)
    {
        int ph = s.PH, pw = s.PW, h = s.H, w = s.W;
        float scale = 1f / (ph * pw);
        for (int oh = 0; oh < s.OH; oh++)
        {
            int ih0 = oh * s.SH - s.PadH;
            int r0 = Math.Max(0, -ih0), r1 = Math.Min(ph, h - ih0);
            for (int ow = 0; ow < s.OW; ow++)
            {
                int iw0 = ow * s.SW - s.PadW;
                int q0 = Math.Max(0, -iw0), q1 = Math.Min(pw, w - iw0);
                float sum = 0f;
                for (int r = r0; r < r1; r++)
                {
                    float* row = x + (long)(ih0 + r) * w + iw0;
                    for (int q = q0; q < q1; q++) sum += row[q];
                }
                *y++ = sum * scale;
            }
        }
    }

    private static void AvgBackward(Shape s, float* dy, float* dx)
    {
        int ph = s.PH, pw = s.PW, h = s.H, w = s.W;
        float scale = 1f / (ph * pw);
        new Span<float>(dx, h * w).Clear();
        for (int oh = 0; oh < s.OH; oh++)
        {
            int ih0 = oh * s.SH - s.PadH;
            int r0 = Math.Max(0, -ih0), r1 = Math.Min(ph, h - ih0);
            for (int ow = 0; ow < s.OW; ow++)
            {
                int iw0 = ow * s.SW - s.PadW;
                int q0 = Math.Max(0, -iw0), q1 = Math.Min(pw, w - iw0);
                float share = *dy++ * scale;
                for (int r = r0; r < r1; r++)
                {
                    float* row = dx + (long)(ih0 + r) * w + iw0;
                    for (int q = q0; q < q1; q++) row[q] += share;
                }
            }
        }
    }
}
