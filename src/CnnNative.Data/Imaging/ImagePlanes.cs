namespace CnnNative.Data.Imaging;

/// <summary>
/// Images as the network takes them: planar float channels (CHW), values in [0, 1]. One
/// channel is gray as ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B (the weights of JPEG,
/// PIL's <c>convert("L")</c> and torchvision's <c>Grayscale</c>); three are R, G, B. Transparent
/// pixels are composited over a background colour first.
/// </summary>
public static class ImagePlanes
{
    /// <summary>BT.601 luma weights, R, G, B.</summary>
    public const float RedWeight = 0.299f, GreenWeight = 0.587f, BlueWeight = 0.114f;

    /// <summary>
    /// Loads an image file and makes it <paramref name="channels"/> × <paramref name="height"/> ×
    /// <paramref name="width"/> floats: decoded (at a reduced scale where the format allows and
    /// the target is much smaller), composited over <paramref name="background"/>, converted,
    /// then resized with area averaging (see <see cref="ImageResampler"/>).
    /// </summary>
    public static float[] Load(string path, int channels, int width, int height, RgbColour background)
    {
        RasterImage image = ImageFile.Load(path, atLeast: (width, height));
        return Resize(FromRaster(image, channels, background), channels, image.Width, image.Height, width, height);
    }

    /// <summary>The raster's pixels as <paramref name="channels"/> (1 or 3) planes of floats in [0, 1].</summary>
    public static float[] FromRaster(RasterImage image, int channels, RgbColour background)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 (gray) or 3 (RGB) channels.");
        int count = image.Width * image.Height, stride = image.Channels;
        var planes = new float[channels * count];
        byte[] src = image.Pixels;
        for (int i = 0; i < count; i++)
        {
            int o = i * stride;
            float r, g, b;
            switch (image.Layout)
            {
                case PixelLayout.Gray:
                    r = g = b = src[o];
                    break;
                case PixelLayout.GrayAlpha:
                    r = g = b = Composite(src[o], src[o + 1], background.Luma);
                    break;
                case PixelLayout.Rgb:
                    (r, g, b) = (src[o], src[o + 1], src[o + 2]);
                    break;
                default:
                    byte a = src[o + 3];
                    (r, g, b) = (Composite(src[o], a, background.R), Composite(src[o + 1], a, background.G), Composite(src[o + 2], a, background.B));
                    break;
            }
            if (channels == 1)
            {
                planes[i] = (RedWeight * r + GreenWeight * g + BlueWeight * b) / 255f;
            }
            else
            {
                planes[i] = r / 255f;
                planes[count + i] = g / 255f;
                planes[2 * count + i] = b / 255f;
            }
        }
        return planes;
    }

    /// <summary>Each of the <paramref name="channels"/> planes resized (area averaging when shrinking); the same array when the size is unchanged.</summary>
    public static float[] Resize(float[] planes, int channels, int width, int height, int newWidth, int newHeight)
    {
        ArgumentNullException.ThrowIfNull(planes);
        if (width == newWidth && height == newHeight) return planes;
        int from = width * height, to = newWidth * newHeight;
        var result = new float[channels * to];
        for (int c = 0; c < channels; c++)
            ImageResampler.Resize(planes.AsSpan(c * from, from), width, height, newWidth, newHeight).CopyTo(result, c * to);
        return result;
    }

    /// <summary>
    /// Rounds every value to the nearest of the 256 levels v/255, in place: what the image-folder
    /// cache stores, so <c>cnn predict</c> can feed exactly what training saw.
    /// </summary>
    public static float[] Quantize(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < values.Length; i++) values[i] = ToByte(values[i]) / 255f;
        return values;
    }

    /// <summary>A value in [0, 1] as the nearest level 0…255 (clamped).</summary>
    public static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);

    private static float Composite(byte value, byte alpha, byte background) =>
        (value * alpha + background * (255f - alpha)) / 255f;
}
