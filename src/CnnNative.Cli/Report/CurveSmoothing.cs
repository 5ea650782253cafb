namespace CnnNative.Cli.Report;

/// <summary>
/// The loss-curve smoothing of the book's <c>common/util.py</c> <c>smooth_curve</c>: a moving
/// average weighted by an 11-point Kaiser window with β = 2, over the series extended by
/// reflection at both ends, so the output has one value per input value:
/// <code>
/// window_len = 11
/// s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
/// w = np.kaiser(window_len, 2)
/// y = np.convolve(w/w.sum(), s, mode='valid')
/// return y[5:len(y)-5]
/// </code>
/// As there, the start is mirrored without its first value (x[1], x[2] … stand before x[0])
/// and the end with its last value (x[n−1], x[n−2] … follow x[n−1]). For series shorter than
/// six values the mirror is clamped to the series; the book's function returns a different
/// length there, which a chart cannot use.
/// </summary>
internal static class CurveSmoothing
{
    public const int WindowLength = 11;

    /// <summary>The fewest values a report smooths: below two windows most of each average is mirrored values.</summary>
    public const int MinimumLength = 2 * WindowLength;

    public const double KaiserBeta = 2.0;

    /// <summary>The normalised window (sums to 1), numpy's <c>np.kaiser(11, 2) / sum</c>.</summary>
    public static IReadOnlyList<double> Window { get; } = NormalisedKaiser(WindowLength, KaiserBeta);

    public static double[] SmoothCurve(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        var result = new double[n];
        int half = WindowLength / 2;
        for (int k = 0; k < n; k++)
        {
            double sum = 0;
            for (int j = -half; j <= half; j++)
                sum += Window[j + half] * values[Mirror(k + j, n)];
            result[k] = sum;
        }
        return result;
    }

    /// <summary>np.kaiser: w[i] = I0(β·√(1 − ((i − α)/α)²)) / I0(β), α = (M − 1)/2; here divided by its sum.</summary>
    internal static double[] NormalisedKaiser(int length, double beta)
    {
        var window = new double[length];
        double alpha = (length - 1) / 2.0, total = 0;
        for (int i = 0; i < length; i++)
        {
            double r = (i - alpha) / alpha;
            window[i] = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / BesselI0(beta);
            total += window[i];
        }
        for (int i = 0; i < length; i++) window[i] /= total;
        return window;
    }

    /// <summary>The modified Bessel function of the first kind, order 0, by its power series Σ ((x/2)^k / k!)².</summary>
    internal static double BesselI0(double x)
    {
        double term = 1, sum = 1, quarter = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static int Mirror(int index, int n)
    {
        if (index < 0) index = -index;               // x[-i] = x[i]
        else if (index >= n) index = 2 * n - 1 - index; // x[n-1+i] = x[n-i]
        return Math.Clamp(index, 0, n - 1);
    }
}
