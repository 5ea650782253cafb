namespace CnnNative.Core;

/// <summary>
/// The host side of the fallback defaults: each contract operation that no combination of
/// the minimal core expresses, as a plain loop over host copies in double precision (rounded
/// once, on upload). Semantics are those documented on <see cref="IComputeProvider"/>.
/// </summary>
internal static class HostKernels
{
    public static void Softmax(ReadOnlySpan<double> logits, Span<double> probs, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var x = logits.Slice(r * cols, cols);
            var p = probs.Slice(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (double v in x) max = Math.Max(max, v);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += p[j] = Math.Exp(x[j] - max);
            for (int j = 0; j < cols; j++) p[j] /= sum;
        }
    }

    /// <summary>The class index stored in <paramref name="labels"/>[row] (a fraction truncates, as on every provider).</summary>
    public static int Label(ReadOnlySpan<double> labels, int row, int classes)
    {
        double value = labels[row];
        if (!(value >= 0 && value < classes)) throw ComputeProvider.LabelOutOfRange(row, (float)value, classes);
        return (int)value;
    }

    /// <summary>−(1/N)·Σ log(probs[n, label] + 1e-7), the seed's cross_entropy_error.</summary>
    public static double CrossEntropy(ReadOnlySpan<double> probs, ReadOnlySpan<double> labels, int rows, int cols)
    {
        double sum = 0;
        for (int r = 0; r < rows; r++) sum -= Math.Log(probs[r * cols + Label(labels, r, cols)] + 1e-7);
        return sum / rows;
    }

    public static void CrossEntropyBackward(ReadOnlySpan<double> probs, ReadOnlySpan<double> labels, Span<double> dx, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            int label = Label(labels, r, cols);
            for (int j = 0; j < cols; j++)
                dx[r * cols + j] = (probs[r * cols + j] - (j == label ? 1 : 0)) / rows;
        }
    }

    /// <summary>Rows whose first maximum is at the label's column.</summary>
    public static int CountCorrect(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int rows, int cols)
    {
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = scores.Slice(r * cols, cols);
            int best = 0;
            for (int j = 1; j < cols; j++) if (row[j] > row[best]) best = j;
            if (best == labels[r]) correct++;
        }
        return correct;
    }

    public static void Dropout(ReadOnlySpan<double> x, float ratio, ulong key, Span<double> y, Span<double> mask)
    {
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = CounterRng.Uniform(key, (ulong)i) > ratio ? 1 : 0;
            y[i] = x[i] * mask[i];
        }
    }

    /// <summary>
    /// Calls <paramref name="visit"/>(output, window position, input index or −1 for padding) for
    /// every element of every window, outputs in NCHW order and window elements row by row.
    /// </summary>
    public static void ForEachWindowElement(in PoolGeometry g, Action<int, int, int> visit)
    {
        for (int nc = 0, o = 0; nc < g.Batch * g.Channels; nc++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++, o++)
                    for (int kh = 0; kh < g.PoolHeight; kh++)
                        for (int kw = 0; kw < g.PoolWidth; kw++)
                        {
                            int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                            bool inside = h >= 0 && h < g.Height && w >= 0 && w < g.Width;
                            visit(o, kh * g.PoolWidth + kw, inside ? (nc * g.Height + h) * g.Width + w : -1);
                        }
    }

    public static void MaxPool(double[] x, in PoolGeometry g, double[] y, double[] argmax)
    {
        var winner = new int[g.OutputLength];
        Array.Fill(winner, -1);
        ForEachWindowElement(g, (o, w, i) =>
        {
            double v = i < 0 ? double.NegativeInfinity : x[i];
            if (winner[o] < 0 || v > y[o]) { y[o] = v; winner[o] = w; }
        });
        for (int o = 0; o < winner.Length; o++) argmax[o] = winner[o];
    }

    public static void MaxPoolBackward(double[] dy, double[] argmax, in PoolGeometry g, double[] dx)
    {
        Array.Clear(dx);
        ForEachWindowElement(g, (o, w, i) =>
        {
            if (i >= 0 && argmax[o] == w) dx[i] += dy[o];
        });
    }
}
