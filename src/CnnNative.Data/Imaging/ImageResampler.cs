namespace CnnNative.Data.Imaging;

/// <summary>
/// Resizes a single-channel float image, separably (rows, then columns). An axis that shrinks
/// uses area averaging (each output pixel is the mean of the input area it covers, so thin
/// strokes fade rather than vanish, like the anti-aliasing NIST→MNIST used); an axis that
/// grows or keeps its size uses linear interpolation between pixel centres.
/// </summary>
internal static class ImageResampler
{
    public static float[] Resize(ReadOnlySpan<float> source, int sourceWidth, int sourceHeight, int width, int height)
    {
        ImageSize.Check(sourceWidth, sourceHeight);
        ImageSize.Check(width, height);
        if (source.Length != (long)sourceWidth * sourceHeight)
            throw new ArgumentException(
                $"A {sourceWidth}×{sourceHeight} image needs {(long)sourceWidth * sourceHeight} values, got {source.Length}.", nameof(source));

        Tap[][] columns = AxisTaps(sourceWidth, width);
        Tap[][] rows = AxisTaps(sourceHeight, height);

        var horizontal = new float[(long)sourceHeight * width];
        for (int y = 0; y < sourceHeight; y++)
        {
            ReadOnlySpan<float> line = source.Slice(y * sourceWidth, sourceWidth);
            for (int x = 0; x < width; x++)
                horizontal[y * width + x] = Apply(columns[x], line, 1);
        }

        var result = new float[(long)width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                result[y * width + x] = Apply(rows[y], horizontal.AsSpan(x), width);
        return result;
    }

    private readonly record struct Tap(int Index, float Weight);

    private static float Apply(Tap[] taps, ReadOnlySpan<float> values, int step)
    {
        float sum = 0f;
        foreach (Tap tap in taps) sum += tap.Weight * values[tap.Index * step];
        return sum;
    }

    /// <summary>For each output index along an axis, the input indices it reads and their weights (summing to 1).</summary>
    private static Tap[][] AxisTaps(int sourceSize, int size)
    {
        var taps = new Tap[size][];
        double scale = (double)sourceSize / size;
        for (int i = 0; i < size; i++)
            taps[i] = size < sourceSize ? AreaTaps(i, scale) : LinearTaps(i, scale, sourceSize);
        return taps;
    }

    private static Tap[] AreaTaps(int i, double scale)
    {
        double lo = i * scale, hi = (i + 1) * scale;
        int first = (int)Math.Floor(lo), last = (int)Math.Ceiling(hi) - 1;
        var list = new List<Tap>(last - first + 1);
        for (int j = first; j <= last; j++)
        {
            double overlap = Math.Min(hi, j + 1) - Math.Max(lo, j);
            if (overlap > 1e-12) list.Add(new Tap(j, (float)(overlap / scale)));
        }
        return [.. list];
    }

    private static Tap[] LinearTaps(int i, double scale, int sourceSize)
    {
        double position = Math.Clamp((i + 0.5) * scale - 0.5, 0, sourceSize - 1);
        int left = (int)Math.Floor(position);
        int right = Math.Min(left + 1, sourceSize - 1);
        float fraction = (float)(position - left);
        return left == right || fraction == 0f
            ? [new Tap(left, 1f)]
            : [new Tap(left, 1f - fraction), new Tap(right, fraction)];
    }
}
