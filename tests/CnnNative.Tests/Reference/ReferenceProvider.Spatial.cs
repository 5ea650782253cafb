using CnnNative.Core;

namespace CnnNative.Tests.Reference;

// im2col, col2im and pooling as direct loops over the definitions. Col2Im and the pooling
// backwards scatter here (the plain form); real providers may gather instead.
public sealed partial class ReferenceProvider
{
    protected override void Im2ColCore(Tensor x, in ConvGeometry g, Tensor col)
    {
        double[] s = D(x), d = D(col);
        int oh = g.OutputHeight, ow = g.OutputWidth, patch = g.PatchSize;
        for (int n = 0; n < g.Batch; n++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                {
                    int row = (n * oh + y) * ow + xo;
                    for (int c = 0; c < g.Channels; c++)
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++)
                            {
                                int ih = y * g.StrideHeight - g.PadHeight + kh;
                                int iw = xo * g.StrideWidth - g.PadWidth + kw;
                                int column = (c * g.KernelHeight + kh) * g.KernelWidth + kw;
                                bool inside = ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width;
                                d[row * patch + column] = inside ? s[((n * g.Channels + c) * g.Height + ih) * g.Width + iw] : 0;
                            }
                }
    }

    protected override void ConvolutionForwardCore(Tensor x, in ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y)
    {
        double[] s = D(x), w = D(weights), b = D(bias), d = D(y);
        int oh = g.OutputHeight, ow = g.OutputWidth, patch = g.PatchSize;
        for (int n = 0; n < g.Batch; n++)
            for (int f = 0; f < filters; f++)
                for (int yo = 0; yo < oh; yo++)
                    for (int xo = 0; xo < ow; xo++)
                    {
                        double sum = b[f];
                        ForEachTap(g, n, yo, xo, (column, input) => sum += w[f * patch + column] * s[input]);
                        d[((n * filters + f) * oh + yo) * ow + xo] = sum;
                    }
    }

    protected override void ConvolutionWeightGradientCore(Tensor dy, Tensor x, in ConvGeometry g, Tensor dWeights, Tensor dBias, int filters)
    {
        double[] gy = D(dy), s = D(x), dw = D(dWeights), db = D(dBias);
        int oh = g.OutputHeight, ow = g.OutputWidth, patch = g.PatchSize;
        Array.Clear(dw, 0, filters * patch);
        Array.Clear(db, 0, filters);
        for (int n = 0; n < g.Batch; n++)
            for (int f = 0; f < filters; f++)
                for (int yo = 0; yo < oh; yo++)
                    for (int xo = 0; xo < ow; xo++)
                    {
                        double grad = gy[((n * filters + f) * oh + yo) * ow + xo];
                        db[f] += grad;
                        ForEachTap(g, n, yo, xo, (column, input) => dw[f * patch + column] += grad * s[input]);
                    }
    }

    protected override void ConvolutionInputGradientCore(Tensor dy, in ConvGeometry g, Tensor weights, int filters, Tensor dx)
    {
        double[] gy = D(dy), w = D(weights), d = D(dx);
        int oh = g.OutputHeight, ow = g.OutputWidth, patch = g.PatchSize;
        Array.Clear(d, 0, g.InputLength);
        for (int n = 0; n < g.Batch; n++)
            for (int f = 0; f < filters; f++)
                for (int yo = 0; yo < oh; yo++)
                    for (int xo = 0; xo < ow; xo++)
                    {
                        double grad = gy[((n * filters + f) * oh + yo) * ow + xo];
                        ForEachTap(g, n, yo, xo, (column, input) => d[input] += grad * w[f * patch + column]);
                    }
    }

    /// <summary>Calls <paramref name="tap"/>(im2col column, index into x) for every kernel tap of output (n, yo, xo) that lands inside the image.</summary>
    private static void ForEachTap(in ConvGeometry g, int n, int yo, int xo, Action<int, int> tap)
    {
        for (int c = 0; c < g.Channels; c++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int ih = yo * g.StrideHeight - g.PadHeight + kh;
                    int iw = xo * g.StrideWidth - g.PadWidth + kw;
                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                    tap((c * g.KernelHeight + kh) * g.KernelWidth + kw, ((n * g.Channels + c) * g.Height + ih) * g.Width + iw);
                }
    }

    protected override void Col2ImCore(Tensor col, in ConvGeometry g, Tensor dx)
    {
        double[] s = D(col), d = D(dx);
        Array.Clear(d, 0, g.InputLength);
        int oh = g.OutputHeight, ow = g.OutputWidth, patch = g.PatchSize;
        for (int n = 0; n < g.Batch; n++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                {
                    int row = (n * oh + y) * ow + xo;
                    for (int c = 0; c < g.Channels; c++)
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++)
                            {
                                int ih = y * g.StrideHeight - g.PadHeight + kh;
                                int iw = xo * g.StrideWidth - g.PadWidth + kw;
                                if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                int column = (c * g.KernelHeight + kh) * g.KernelWidth + kw;
                                d[((n * g.Channels + c) * g.Height + ih) * g.Width + iw] += s[row * patch + column];
                            }
                }
    }

    /// <summary>Calls <paramref name="visit"/>(outputIndex, planeOffset, windowIndex, inputIndexOrMinus1) for every window element.</summary>
    private static void ForEachWindowElement(in PoolGeometry g, Action<int, int, int> visit)
    {
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < g.Channels; c++)
            {
                int plane = (n * g.Channels + c) * g.Height * g.Width;
                for (int y = 0; y < g.OutputHeight; y++)
                    for (int xo = 0; xo < g.OutputWidth; xo++)
                    {
                        int o = ((n * g.Channels + c) * g.OutputHeight + y) * g.OutputWidth + xo;
                        for (int ph = 0; ph < g.PoolHeight; ph++)
                            for (int pw = 0; pw < g.PoolWidth; pw++)
                            {
                                int ih = y * g.StrideHeight - g.PadHeight + ph;
                                int iw = xo * g.StrideWidth - g.PadWidth + pw;
                                bool inside = ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width;
                                visit(o, ph * g.PoolWidth + pw, inside ? plane + ih * g.Width + iw : -1);
                            }
                    }
            }
    }

    protected override void MaxPoolForwardCore(Tensor x, in PoolGeometry g, Tensor y, Tensor argmax)
    {
        double[] s = D(x), d = D(y), a = D(argmax);
        var best = new double[g.OutputLength];
        Array.Fill(best, double.NegativeInfinity);
        var winner = new int[g.OutputLength];
        Array.Fill(winner, -1);
        ForEachWindowElement(g, (o, w, i) =>
        {
            double v = i < 0 ? double.NegativeInfinity : s[i];
            if (winner[o] < 0 || v > best[o]) { best[o] = v; winner[o] = w; }
        });
        for (int o = 0; o < g.OutputLength; o++) { d[o] = best[o]; a[o] = winner[o]; }
    }

    protected override void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry g, Tensor dx)
    {
        double[] gy = D(dy), a = D(argmax), d = D(dx);
        Array.Clear(d, 0, g.InputLength);
        ForEachWindowElement(g, (o, w, i) =>
        {
            if (i >= 0 && (int)a[o] == w) d[i] += gy[o];
        });
    }

    protected override void AvgPoolForwardCore(Tensor x, in PoolGeometry g, Tensor y)
    {
        double[] s = D(x), d = D(y);
        Array.Clear(d, 0, g.OutputLength);
        double scale = 1.0 / (g.PoolHeight * g.PoolWidth);
        ForEachWindowElement(g, (o, _, i) => { if (i >= 0) d[o] += s[i] * scale; });
    }

    protected override void AvgPoolBackwardCore(Tensor dy, in PoolGeometry g, Tensor dx)
    {
        double[] gy = D(dy), d = D(dx);
        Array.Clear(d, 0, g.InputLength);
        double scale = 1.0 / (g.PoolHeight * g.PoolWidth);
        ForEachWindowElement(g, (o, _, i) => { if (i >= 0) d[i] += gy[o] * scale; });
    }
}
