namespace CnnNative.Data.Imaging;

/// <summary>Options of <see cref="MnistPreprocessor.Preprocess"/>; the defaults reproduce how MNIST was made.</summary>
public sealed record MnistPreprocessOptions
{
    /// <summary>The input is dark ink on a light background (paper, most drawings): flip it to MNIST's light-on-dark.</summary>
    public bool Invert { get; init; }

    /// <summary>Ink level (0…1, after inversion) a pixel must exceed to count towards the bounding box; ignores paper noise.</summary>
    public float InkThreshold { get; init; } = 0.1f;

    /// <summary>The longer side of the bounding box is scaled to this (MNIST: 20).</summary>
    public int BoxSize { get; init; } = 20;

    /// <summary>Side of the square output (MNIST: 28).</summary>
    public int FieldSize { get; init; } = 28;
}

/// <summary>
/// Turns any gray image into a network input the way MNIST's digits were made from NIST's:
/// crop to the bounding box of the ink, scale so the longer side is 20 pixels keeping the
/// aspect ratio (anti-aliased), and place it in a 28×28 field so that its centre of mass sits
/// at the field's centre. Output: FieldSize² floats in [0, 1], light ink on black, row-major.
/// </summary>
public static class MnistPreprocessor
{
    /// <summary>
    /// The MNIST-style input for <paramref name="image"/>: a new array of
    /// <see cref="MnistPreprocessOptions.FieldSize"/>² floats in [0, 1], row-major, ink light on black.
    /// The image is not modified.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are out of range (box larger than the field, threshold outside [0, 1)).</exception>
    public static float[] Preprocess(GrayImage image, MnistPreprocessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new MnistPreprocessOptions();
        if (options.BoxSize < 1 || options.FieldSize < options.BoxSize)
            throw new ArgumentException(
                $"The box size ({options.BoxSize}) must be at least 1 and at most the field size ({options.FieldSize}).", nameof(options));
        if (!(options.InkThreshold >= 0f && options.InkThreshold < 1f))
            throw new ArgumentException($"The ink threshold must be in [0, 1), got {options.InkThreshold}.", nameof(options));

        float[] ink = Ink(image, options.Invert);
        var (left, top, right, bottom) = InkBounds(ink, image.Width, image.Height, options.InkThreshold, options.Invert);
        int cropWidth = right - left + 1, cropHeight = bottom - top + 1;
        var crop = new float[cropWidth * cropHeight];
        for (int y = 0; y < cropHeight; y++)
            ink.AsSpan((top + y) * image.Width + left, cropWidth).CopyTo(crop.AsSpan(y * cropWidth));

        double scale = (double)options.BoxSize / Math.Max(cropWidth, cropHeight);
        int width = Math.Clamp((int)Math.Round(cropWidth * scale, MidpointRounding.AwayFromZero), 1, options.BoxSize);
        int height = Math.Clamp((int)Math.Round(cropHeight * scale, MidpointRounding.AwayFromZero), 1, options.BoxSize);
        float[] digit = ImageResampler.Resize(crop, cropWidth, cropHeight, width, height);

        return PlaceByCentreOfMass(digit, width, height, options.FieldSize);
    }

    /// <summary>
    /// True when the image's border is mostly light (median border pixel above mid-gray): a
    /// hint that it is dark-on-light and needs <see cref="MnistPreprocessOptions.Invert"/>.
    /// </summary>
    public static bool LooksDarkOnLight(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var border = new List<byte>(2 * (image.Width + image.Height));
        for (int x = 0; x < image.Width; x++)
        {
            border.Add(image[x, 0]);
            border.Add(image[x, image.Height - 1]);
        }
        for (int y = 0; y < image.Height; y++)
        {
            border.Add(image[0, y]);
            border.Add(image[image.Width - 1, y]);
        }
        border.Sort();
        return border[border.Count / 2] > 127;
    }

    private static float[] Ink(GrayImage image, bool invert)
    {
        var ink = new float[image.Pixels.Length];
        for (int i = 0; i < ink.Length; i++)
            ink[i] = invert ? (255 - image.Pixels[i]) / 255f : image.Pixels[i] / 255f;
        return ink;
    }

    private static (int Left, int Top, int Right, int Bottom) InkBounds(float[] ink, int width, int height, float threshold, bool invert)
    {
        int left = width, top = height, right = -1, bottom = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (ink[y * width + x] <= threshold) continue;
                if (x < left) left = x;
                if (x > right) right = x;
                if (y < top) top = y;
                if (y > bottom) bottom = y;
            }
        if (right < 0)
            throw new ArgumentException(invert
                ? $"The image has no ink: no pixel is darker than {100 * (1 - threshold):0.#}% gray, so there is nothing to centre."
                : $"The image has no ink: no pixel is brighter than {100 * threshold:0.#}% gray; for dark ink on a light background, invert it (--invert).",
                "image");
        return (left, top, right, bottom);
    }

    /// <summary>
    /// Places the digit so that its centre of mass lands on the field's centre, shifted by whole
    /// pixels and kept inside the field.
    /// </summary>
    private static float[] PlaceByCentreOfMass(float[] digit, int width, int height, int fieldSize)
    {
        double mass = 0, sumX = 0, sumY = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double v = digit[y * width + x];
                mass += v;
                sumX += v * (x + 0.5);
                sumY += v * (y + 0.5);
            }
        // Pixel x covers [x, x + 1); the field's centre is fieldSize / 2 in the same coordinates.
        double centreX = mass > 0 ? sumX / mass : width / 2.0;
        double centreY = mass > 0 ? sumY / mass : height / 2.0;
        int offsetX = Math.Clamp((int)Math.Round(fieldSize / 2.0 - centreX, MidpointRounding.AwayFromZero), 0, fieldSize - width);
        int offsetY = Math.Clamp((int)Math.Round(fieldSize / 2.0 - centreY, MidpointRounding.AwayFromZero), 0, fieldSize - height);

        var field = new float[fieldSize * fieldSize];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                field[(offsetY + y) * fieldSize + offsetX + x] = Math.Clamp(digit[y * width + x], 0f, 1f);
        return field;
    }
}
