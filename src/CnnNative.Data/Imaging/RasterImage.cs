namespace CnnNative.Data.Imaging;

/// <summary>
/// An 8-bit-per-sample image as a file holds it: row-major, top row first, channels
/// interleaved as <see cref="Layout"/> says. This is what <see cref="ImageFile"/> decodes to
/// and encodes from; <see cref="GrayImage"/> is what the network and the filters work on.
/// </summary>
public sealed class RasterImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied): width·height·channels bytes, interleaved.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pixels"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The layout is not one of <see cref="PixelLayout"/>'s values.</exception>
    /// <exception cref="ArgumentException">The size is out of range or the byte count does not match it.</exception>
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

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>How the samples of a pixel are interleaved (also the channel count).</summary>
    public PixelLayout Layout { get; }

    /// <summary>Samples per pixel (1 to 4).</summary>
    public int Channels => (int)Layout;

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    /// <summary>The samples, row-major and interleaved; shared, not copied.</summary>
    public byte[] Pixels { get; }

    /// <summary>"W×H Layout", e.g. "640×480 Rgba".</summary>
    public override string ToString() => $"{Width}×{Height} {Layout}";
}
