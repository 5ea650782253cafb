using CnnNative.Data.Imaging;

namespace CnnNative.Cli.Report;

/// <summary>
/// Small gray or colour images as PNG <c>data:</c> URIs, enlarged by whole factors with
/// nearest-neighbour sampling so a 28×28 digit or a 5×5 filter keeps its crisp pixels in any
/// browser. Values holding three planes (R, G, B: width·height·3 of them, as a colour model's
/// input and first-layer filters are laid out) become a colour PNG.
/// </summary>
internal static class ImageTiles
{
    /// <summary>Values in [black, white] mapped to 0…255 (clamped), each pixel repeated scale × scale times.</summary>
    public static string DataUri(ReadOnlySpan<float> values, int width, int height, int scale, float black = 0f, float white = 1f, bool invert = false)
    {
        int planes = values.Length == 3 * width * height ? 3 : 1;
        GrayImage levels = GrayImage.FromFloats(width * planes, height, values, black, white); // every plane, as one strip of levels
        if (invert)
            for (int i = 0; i < levels.Pixels.Length; i++) levels.Pixels[i] = (byte)(255 - levels.Pixels[i]);
        if (planes == 1) return DataUri(Upscale(levels, scale));
        return "data:image/png;base64," + Convert.ToBase64String(ImageFile.EncodePng(UpscaleRgb(levels.Pixels, width, height, scale)));
    }

    /// <summary>Planar R, G, B levels as an interleaved RGB raster, each pixel repeated scale × scale times.</summary>
    private static RasterImage UpscaleRgb(byte[] planes, int width, int height, int scale)
    {
        int w = width * scale, h = height * scale, plane = width * height;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int source = y / scale * width + x / scale;
                for (int c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = planes[c * plane + source];
            }
        return new RasterImage(w, h, PixelLayout.Rgb, rgb);
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
