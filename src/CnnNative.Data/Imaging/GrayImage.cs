namespace CnnNative.Data.Imaging;

/// <summary>
/// An 8-bit gray image, row-major, top row first, 0 = black, 255 = white. The filters work on
/// it at the seed's 0…255 scale; the network sees it through <see cref="ToFloats"/> (0…1, the
/// book's <c>normalize=True</c>) or through <see cref="MnistPreprocessor"/>.
/// </summary>
public sealed class GrayImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied): width·height bytes.</summary>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ImageSize.Check(width, height);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException(
                $"A {width}×{height} gray image needs {(long)width * height} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black image.</summary>
    public GrayImage(int width, int height) : this(width, height, NewPixels(width, height)) { }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, row-major; shared, not copied.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixel in column <paramref name="x"/> of row <paramref name="y"/> (0, 0 = top left), 0 = black.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the image.</exception>
    public byte this[int x, int y]
    {
        get => Pixels[CheckedIndex(x, y)];
        set => Pixels[CheckedIndex(x, y)] = value;
    }

    /// <summary>Pixels as floats in [0, 1] (value / 255).</summary>
    public float[] ToFloats()
    {
        var result = new float[Pixels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Pixels[i] / 255f;
        return result;
    }

    /// <summary>Pixels as floats at the 0…255 scale the seed's filters use.</summary>
    public float[] ToByteScaleFloats()
    {
        var result = new float[Pixels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Pixels[i];
        return result;
    }

    /// <summary>
    /// An image from floats where <paramref name="black"/> maps to 0 and <paramref name="white"/> to 255,
    /// values outside clamped, rounded to the nearest level. NaN becomes black.
    /// </summary>
    public static GrayImage FromFloats(int width, int height, ReadOnlySpan<float> values, float black = 0f, float white = 1f)
    {
        if (!(white > black) || !float.IsFinite(black) || !float.IsFinite(white))
            throw new ArgumentException($"The white level ({white}) must be a finite number above the black level ({black}).", nameof(white));
        if (values.Length != (long)width * height)
            throw new ArgumentException($"A {width}×{height} image needs {(long)width * height} values, got {values.Length}.", nameof(values));
        var pixels = new byte[values.Length];
        float scale = 255f / (white - black);
        for (int i = 0; i < values.Length; i++)
        {
            float v = (values[i] - black) * scale;
            pixels[i] = v >= 255f ? (byte)255 : v > 0f ? (byte)(v + 0.5f) : (byte)0;
        }
        return new GrayImage(width, height, pixels);
    }

    /// <summary>
    /// The ITU-R BT.601 luma of a colour image, Y = 0.299 R + 0.587 G + 0.114 B, rounded (the
    /// weights of JPEG, PIL's <c>convert("L")</c> and torchvision's <c>Grayscale</c>).
    /// Transparent pixels are composited over <paramref name="background"/> first (white when
    /// not given, as a viewer shows them), so a drawing on a transparent canvas keeps its strokes.
    /// </summary>
    public static GrayImage FromRaster(RasterImage image, RgbColour? background = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        RgbColour bg = background ?? RgbColour.White;
        int count = image.Width * image.Height;
        var gray = new byte[count];
        byte[] src = image.Pixels;
        switch (image.Layout)
        {
            case PixelLayout.Gray:
                Array.Copy(src, gray, count);
                break;
            case PixelLayout.GrayAlpha:
                for (int i = 0; i < count; i++)
                    gray[i] = Composite(src[2 * i], src[2 * i + 1], bg.Luma);
                break;
            case PixelLayout.Rgb:
                for (int i = 0; i < count; i++)
                    gray[i] = Luma(src[3 * i], src[3 * i + 1], src[3 * i + 2]);
                break;
            case PixelLayout.Rgba:
                for (int i = 0; i < count; i++)
                {
                    byte a = src[4 * i + 3];
                    gray[i] = Luma(Composite(src[4 * i], a, bg.R), Composite(src[4 * i + 1], a, bg.G),
                        Composite(src[4 * i + 2], a, bg.B));
                }
                break;
        }
        return new GrayImage(image.Width, image.Height, gray);
    }

    /// <summary>The same pixels as a one-channel raster (copied), ready for <see cref="ImageFile.Save(string, GrayImage)"/>.</summary>
    public RasterImage ToRaster() => new(Width, Height, PixelLayout.Gray, (byte[])Pixels.Clone());

    /// <summary>BT.601 luma in fixed point: weights 299/587/114 per mille, rounded half up.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);

    private static byte Composite(byte value, byte alpha, byte background) =>
        (byte)((value * alpha + background * (255 - alpha) + 127) / 255);

    private static byte[] NewPixels(int width, int height)
    {
        ImageSize.Check(width, height);
        return new byte[(long)width * height];
    }

    private int CheckedIndex(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}×{Height} image.");
        return y * Width + x;
    }

    /// <summary>"W×H gray".</summary>
    public override string ToString() => $"{Width}×{Height} gray";
}
