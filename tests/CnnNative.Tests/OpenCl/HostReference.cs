using CnnNative.Core;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// Plain loops in double precision that state each operation the obvious way, to check the
/// OpenCL kernels against. Where a kernel gathers (col2im, pooling backward) the reference
/// scatters, so the two are independent derivations of the same sums.
/// </summary>
internal static class HostReference
{
    public static double[] Gemm(bool ta, bool tb, int m, int n, int k, double alpha, float[] a, float[] b, double beta, float[] c)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                r[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        return r;
    }

    public static double[] Im2Col(float[] x, ConvGeometry g)
    {
        var col = new double[g.ColumnLength];
        for (int n = 0; n < g.Batch; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int c = 0; c < g.Channels; c++)
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++)
                            {
                                int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                                int row = (n * g.OutputHeight + oh) * g.OutputWidth + ow;
                                int column = (c * g.KernelHeight + kh) * g.KernelWidth + kw;
                                col[row * g.PatchSize + column] =
                                    h >= 0 && h < g.Height && w >= 0 && w < g.Width ? x[((n * g.Channels + c) * g.Height + h) * g.Width + w] : 0;
                            }
        return col;
    }

    /// <summary>Scatter form: every col entry is added to the input element it was copied from.</summary>
    public static double[] Col2Im(float[] col, ConvGeometry g)
    {
        var dx = new double[g.InputLength];
        for (int n = 0; n < g.Batch; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int c = 0; c < g.Channels; c++)
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++)
                            {
                                int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                                if (h < 0 || h >= g.Height || w < 0 || w >= g.Width) continue;
                                int row = (n * g.OutputHeight + oh) * g.OutputWidth + ow;
                                int column = (c * g.KernelHeight + kh) * g.KernelWidth + kw;
                                dx[((n * g.Channels + c) * g.Height + h) * g.Width + w] += col[row * g.PatchSize + column];
                            }
        return dx;
    }

    /// <summary>Max pooling: (values, argmax as kh·PW + kw); ties to the first in window order, padding never wins.</summary>
    public static (double[] Y, double[] Argmax) MaxPool(float[] x, PoolGeometry g)
    {
        var y = new double[g.OutputLength];
        var arg = new double[g.OutputLength];
        ForEachWindow(g, (o, nc, oh, ow) =>
        {
            double best = double.NegativeInfinity;
            int where = -1;
            for (int kh = 0; kh < g.PoolHeight; kh++)
                for (int kw = 0; kw < g.PoolWidth; kw++)
                {
                    int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                    if (h < 0 || h >= g.Height || w < 0 || w >= g.Width) continue;
                    double v = x[(nc * g.Height + h) * g.Width + w];
                    if (where < 0 || v > best) { best = v; where = kh * g.PoolWidth + kw; }
                }
            y[o] = best;
            arg[o] = where;
        });
        return (y, arg);
    }

    /// <summary>Scatter form: dy of each window goes to the input its argmax names.</summary>
    public static double[] MaxPoolBackward(float[] dy, float[] argmax, PoolGeometry g)
    {
        var dx = new double[g.InputLength];
        ForEachWindow(g, (o, nc, oh, ow) =>
        {
            int a = (int)argmax[o];
            int h = oh * g.StrideHeight - g.PadHeight + a / g.PoolWidth, w = ow * g.StrideWidth - g.PadWidth + a % g.PoolWidth;
            dx[(nc * g.Height + h) * g.Width + w] += dy[o];
        });
        return dx;
    }

    public static double[] AvgPool(float[] x, PoolGeometry g)
    {
        var y = new double[g.OutputLength];
        ForEachWindow(g, (o, nc, oh, ow) =>
        {
            double s = 0;
            for (int kh = 0; kh < g.PoolHeight; kh++)
                for (int kw = 0; kw < g.PoolWidth; kw++)
                {
                    int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                    if (h >= 0 && h < g.Height && w >= 0 && w < g.Width) s += x[(nc * g.Height + h) * g.Width + w];
                }
            y[o] = s / (g.PoolHeight * g.PoolWidth);
        });
        return y;
    }

    public static double[] AvgPoolBackward(float[] dy, PoolGeometry g)
    {
        var dx = new double[g.InputLength];
        ForEachWindow(g, (o, nc, oh, ow) =>
        {
            for (int kh = 0; kh < g.PoolHeight; kh++)
                for (int kw = 0; kw < g.PoolWidth; kw++)
                {
                    int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                    if (h >= 0 && h < g.Height && w >= 0 && w < g.Width)
                        dx[(nc * g.Height + h) * g.Width + w] += (double)dy[o] / (g.PoolHeight * g.PoolWidth);
                }
        });
        return dx;
    }

    public static double[] Softmax(float[] z, int rows, int cols)
    {
        var p = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < cols; j++) max = Math.Max(max, z[r * cols + j]);
            for (int j = 0; j < cols; j++) sum += Math.Exp(z[r * cols + j] - max);
            for (int j = 0; j < cols; j++) p[r * cols + j] = Math.Exp(z[r * cols + j] - max) / sum;
        }
        return p;
    }

    /// <summary>(N, C, S) statistics per channel: mean and biased variance.</summary>
    public static (double[] Mean, double[] Var) ChannelStats(float[] x, BatchNormGeometry g)
    {
        var mean = new double[g.Channels];
        var variance = new double[g.Channels];
        for (int c = 0; c < g.Channels; c++)
        {
            double s = 0, q = 0;
            for (int b = 0; b < g.Batch; b++)
                for (int t = 0; t < g.Spatial; t++) s += x[(b * g.Channels + c) * g.Spatial + t];
            mean[c] = s / g.GroupSize;
            for (int b = 0; b < g.Batch; b++)
                for (int t = 0; t < g.Spatial; t++)
                {
                    double d = x[(b * g.Channels + c) * g.Spatial + t] - mean[c];
                    q += d * d;
                }
            variance[c] = q / g.GroupSize;
        }
        return (mean, variance);
    }

    private static void ForEachWindow(PoolGeometry g, Action<int, int, int, int> body)
    {
        int o = 0;
        for (int nc = 0; nc < g.Batch * g.Channels; nc++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    body(o++, nc, oh, ow);
    }
}
