namespace CnnNative.Data.Imaging;

/// <summary>
/// An 8-bit-per-sample image as a file holds it: row-major, top row first, channels
/// interleaved as <see cref="Layout"/> says. This is what <see cref="ImageFile"/> decodes to
/// and encodes from; <see cref="GrayImage"/> is what the network and the filters work on.
/// </summary>
public sealed class RasterImage
{
    public RasterImage(int width, int height, PixelLayout layout, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ImageSize.Check(width, height);
        if (layout is not (PixelLayout.Gray or PixelLayout.GrayAlpha or PixelLayout.Rgb or PixelLayout.Rgba))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown pixel layout.");
        long needed = (long)width * height * (int)layout;
        if (pixels.Length != needed)
            throw new ArgumentException(
                $"A {width}×{height} {layout} image needs {needed} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Layout = layout;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public PixelLayout Layout { get; }

    /// <summary>Samples per pixel (1 to 4).</summary>
    public int Channels => (int)Layout;

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    /// <summary>The samples, row-major and interleaved; shared, not copied.</summary>
    public byte[] Pixels { get; }

    public override string ToString() => $"{Width}×{Height} {Layout}";
}
