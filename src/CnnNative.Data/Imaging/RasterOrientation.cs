using SkiaSharp;

namespace CnnNative.Data.Imaging;

/// <summary>
/// Turns a decoded image upright as its EXIF orientation says (phones store photos sideways
/// and record the rotation), so a data set sees the picture the way a viewer shows it.
/// </summary>
internal static class RasterOrientation
{
    public static RasterImage Apply(RasterImage image, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return image;
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int w = image.Width, h = image.Height, c = image.Channels;
        int outW = swap ? h : w, outH = swap ? w : h;
        var result = new byte[image.Pixels.Length];
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
            {
                // (x, y) in the upright image comes from (sx, sy) in the stored one.
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
                    _ => (x, y),
                };
                Array.Copy(image.Pixels, (sy * w + sx) * c, result, (y * outW + x) * c, c);
            }
        return new RasterImage(outW, outH, image.Layout, result);
    }
}
