using CnnNative.Data.Imaging;
using SkiaSharp;

namespace CnnNative.Tests.Imaging;

/// <summary>
/// Images made in the test with SkiaSharp's encoders (JPEG, WebP) and by hand (BMP), for the
/// formats our own API only reads; and small image folders for the data-set tests.
/// </summary>
internal static class ImageFixtures
{
    public static byte[] Jpeg(RasterImage image, int quality = 95) => Encode(image, SKEncodedImageFormat.Jpeg, quality);

    /// <summary>Lossless WebP.</summary>
    public static byte[] WebpLossless(RasterImage image) => Encode(image, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100));

    private static byte[] Encode(RasterImage image, SKEncodedImageFormat format, int quality)
    {
        using SKBitmap bitmap = ToBitmap(image);
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    private static byte[] Encode(RasterImage image, SKWebpEncoderOptions options)
    {
        using SKBitmap bitmap = ToBitmap(image);
        using SKPixmap pixmap = bitmap.PeekPixels()!;
        using SKData data = pixmap.Encode(options)!;
        return data.ToArray();
    }

    private static SKBitmap ToBitmap(RasterImage image)
    {
        byte[] rgba = ForeignPngFixtures.ToRgba(image.Pixels, image.Layout);
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
