namespace CnnNative.Nn.Filters;

/// <summary>
/// A named 2-D filter kernel with odd height and width, applied as a correlation (the seed's
/// <c>np.sum(region * kernel)</c>: not flipped) centred on each pixel. Weights are kept in
/// double precision; float providers round them when the kernel is uploaded.
/// </summary>
internal sealed class ImageKernel
{
    /// <summary>The largest side a kernel may have; far beyond any useful image filter, it bounds the im2col matrix.</summary>
    public const int MaxSide = 99;

    /// <summary>
    /// The largest weight magnitude a kernel may have: 1e30. Providers compute in single
    /// precision (largest value about 3.4e38), and a sum of 99×99 pixels of up to 255 each
    /// times weights of this size still stays finite; 1e39 would already round to infinity.
    /// </summary>
    public const double MaxWeight = 1e30;

    private readonly double[] _weights;

    /// <param name="name">Identifier used on the command line (no spaces).</param>
    /// <param name="weights">[rows, columns], both odd, every value finite.</param>
    /// <param name="description">What the kernel does, one line.</param>
    public ImageKernel(string name, double[,] weights, string description = "")
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(description);
        if (NameProblem(name) is { } nameProblem) throw new ArgumentException(nameProblem, nameof(name));
        int height = weights.GetLength(0), width = weights.GetLength(1);
        if (SizeProblem(height, width) is { } sizeProblem) throw new ArgumentException(sizeProblem, nameof(weights));
        _weights = new double[height * width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                double w = weights[r, c];
                if (WeightProblem(w) is { } weightProblem)
                    throw new ArgumentException($"Kernel '{name}', row {r + 1}, column {c + 1}: {weightProblem}.", nameof(weights));
                _weights[r * width + c] = w;
            }
        Name = name;
        Description = description;
        Height = height;
        Width = width;
    }

    /// <summary>A kernel of whole numbers times a common factor, written the way the seed writes them (<c>[[1,2,1],…] / 16</c>).</summary>
    public static ImageKernel Scaled(string name, double factor, int[,] integers, string description = "")
    {
        ArgumentNullException.ThrowIfNull(integers);
        var weights = new double[integers.GetLength(0), integers.GetLength(1)];
        for (int r = 0; r < weights.GetLength(0); r++)
            for (int c = 0; c < weights.GetLength(1); c++)
                weights[r, c] = integers[r, c] * factor;
        return new ImageKernel(name, weights, description);
    }

    public string Name { get; }

    public string Description { get; }

    public int Height { get; }

    public int Width { get; }

    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Height || (uint)column >= (uint)Width)
                throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside the {Height}×{Width} kernel '{Name}'.");
            return _weights[row * Width + column];
        }
    }

    /// <summary>Row-major weights: the im2col patch order for one channel, <c>kh·KW + kw</c>.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    public double[,] ToArray()
    {
        var result = new double[Height, Width];
        for (int r = 0; r < Height; r++)
            for (int c = 0; c < Width; c++)
                result[r, c] = _weights[r * Width + c];
        return result;
    }

    public override string ToString() => $"{Name} ({Height}×{Width})";

    /// <summary>Why <paramref name="name"/> cannot name a kernel, or null when it can.</summary>
    internal static string? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "A kernel needs a non-empty name.";
        foreach (char ch in name)
            if (char.IsWhiteSpace(ch) || char.IsControl(ch))
                return $"Kernel name '{name}' contains a space or control character; use letters, digits and dashes.";
        return null;
    }

    /// <summary>Why <paramref name="weight"/> cannot be a kernel weight (not finite, or beyond <see cref="MaxWeight"/>), without a final stop; null when it can.</summary>
    internal static string? WeightProblem(double weight) =>
        !double.IsFinite(weight) ? $"{weight.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number"
        : Math.Abs(weight) > MaxWeight ? $"{weight.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} is too large: weights are computed in single precision and may be at most {MaxWeight:0e0} in magnitude"
        : null;

    /// <summary>Why a kernel of this size cannot be applied so that the image keeps its size, or null when it can.</summary>
    internal static string? SizeProblem(int height, int width)
    {
        if (height == 0 || width == 0) return "A kernel needs at least one row and one column.";
        if (height % 2 == 0 || width % 2 == 0)
            return $"The kernel is {height}×{width}; both sides must be odd so it has a centre pixel and the image keeps its size.";
        if (height > MaxSide || width > MaxSide)
            return $"The kernel is {height}×{width}; each side may be at most {MaxSide}.";
        return null;
    }
}
