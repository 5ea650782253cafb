using CnnNative.Data.Imaging;

namespace CnnNative.Cli.Report;

/// <summary>
/// Small gray images as PNG <c>data:</c> URIs, enlarged by whole factors with nearest-neighbour
/// sampling so a 28×28 digit or a 5×5 filter keeps its crisp pixels in any browser.
/// </summary>
internal static class ImageTiles
{
    /// <summary>Values in [black, white] mapped to 0…255 (clamped), each pixel repeated scale × scale times.</summary>
    public static string DataUri(ReadOnlySpan<float> values, int width, int height, int scale, float black = 0f, float white = 1f, bool invert = false)
    {
        GrayImage image = GrayImage.FromFloats(width, height, values, black, white);
        if (invert)
            for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)(255 - image.Pixels[i]);
        return DataUri(Upscale(image, scale));
    }

    /// <summary>
    /// Values stretched so their minimum is black and their maximum white (a constant tile is
    /// mid-gray): how matplotlib's imshow shows a filter or a feature map by default.
    /// </summary>
    public static string NormalisedDataUri(ReadOnlySpan<float> values, int width, int height, int scale, bool invert = false)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (!float.IsFinite(min) || max - min < 1e-12f)
        {
            var flat = new float[values.Length];
            Array.Fill(flat, 0.5f);
            return DataUri(flat, width, height, scale, invert: invert);
        }
        return DataUri(values, width, height, scale, min, max, invert);
    }

    public static string DataUri(GrayImage image) =>
        "data:image/png;base64," + Convert.ToBase64String(ImageFile.EncodePng(image));

    public static GrayImage Upscale(GrayImage image, int scale)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be at least 1.");
        if (scale == 1) return image;
        int width = image.Width * scale, height = image.Height * scale;
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = image.Pixels[y / scale * image.Width + x / scale];
        return new GrayImage(width, height, pixels);
    }
}
