namespace CnnNative.Cli.Report;

/// <summary>
/// A linear axis with "nice" ticks (steps of 1, 2 or 5 × 10^k, Heckbert's method), mapping
/// data values to pixel positions.
/// </summary>
internal sealed class AxisScale
{
    private readonly double _pixelStart, _pixelEnd;

    public AxisScale(double min, double max, double pixelStart, double pixelEnd, int targetTicks = 6, bool wholeSteps = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max < min) (min, max) = (max, min);
        if (max - min < 1e-12)
        {
            // One value (a single epoch, a flat loss): give it room around it.
            double pad = Math.Abs(min) > 1e-12 ? Math.Abs(min) * 0.1 : 0.5;
            min -= pad;
            max += pad;
        }
        Step = Nice((max - min) / Math.Max(1, targetTicks - 1), round: true);
        if (wholeSteps && Step < 1) Step = 1; // epochs: no tick at 1.5
        Min = Math.Floor(min / Step) * Step;
        Max = Math.Ceiling(max / Step) * Step;
        _pixelStart = pixelStart;
        _pixelEnd = pixelEnd;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public double ToPixel(double value) => _pixelStart + (value - Min) / (Max - Min) * (_pixelEnd - _pixelStart);

    public IEnumerable<double> Ticks()
    {
        int count = (int)Math.Round((Max - Min) / Step);
        for (int i = 0; i <= count; i++) yield return Min + i * Step;
    }

    /// <summary>A tick label with as many decimals as the step needs.</summary>
    public string Label(double value)
    {
        int decimals = Step >= 1 ? 0 : (int)Math.Ceiling(-Math.Log10(Step) - 1e-9);
        double rounded = Math.Round(value, decimals);
        if (rounded == 0) rounded = 0; // no "-0"
        return rounded.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double Nice(double range, bool round)
    {
        double exponent = Math.Floor(Math.Log10(range));
        double fraction = range / Math.Pow(10, exponent);
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }
}
