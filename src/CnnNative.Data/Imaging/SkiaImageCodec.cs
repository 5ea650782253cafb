using SkiaSharp;

namespace CnnNative.Data.Imaging;

/// <summary>
/// Decoding and encoding through SkiaSharp (Google's Skia: libpng, libjpeg-turbo, libwebp and
/// Skia's own BMP and GIF readers). Decodes PNG of every kind (1–16 bits, palette, gray+alpha,
/// Adam7 interlaced), JPEG, WebP, BMP and GIF (the first frame), honouring a JPEG's EXIF
/// orientation; encodes PNG and JPEG. Pixels are never colour-managed: the samples stay as the
/// file holds them (what a data set expects). Gray files decode to one channel, everything else
/// to straight (unpremultiplied) RGBA.
/// </summary>
internal static class SkiaImageCodec
{
    /// <summary>
    /// Decodes <paramref name="data"/>. The header is read first and an image above
    /// <paramref name="maxPixels"/> is refused before any pixel is decoded. When
    /// <paramref name="atLeast"/> is given and the format can decode at a reduced scale (JPEG,
    /// WebP), the smallest scale still at least twice that size on both sides is used: a
    /// 4000×3000 photo bound for 32×32 decodes at 500×375.
    /// </summary>
    public static RasterImage Decode(ReadOnlySpan<byte> data, long maxPixels = ImageLimits.MaxPixels, (int Width, int Height)? atLeast = null)
    {
        if (data.IsEmpty) throw new ImageFormatException("The file is empty, not an image.");
        using var stream = new SKMemoryStream(SKData.CreateCopy(data));
        using SKCodec? codec = SKCodec.Create(stream, out _);
        if (codec is null)
            // Skia's result code here does not tell the two apart (a zero width reads as incomplete input).
            throw new ImageFormatException(Signature(data) is { } format
                ? $"The {format} file is truncated or its header is corrupt."
                : "The file is not an image this tool reads (PNG, JPEG, WebP, BMP or GIF).");

        SKImageInfo header = codec.Info;
        if (header.Width <= 0 || header.Height <= 0)
            throw new ImageFormatException($"The image has a zero size ({header.Width}×{header.Height}); an image needs at least one pixel.");
        if ((long)header.Width * header.Height > maxPixels)
            throw new ImageFormatException(
                $"The {FormatName(codec.EncodedFormat)} image claims {header.Width}×{header.Height} pixels, more than the {maxPixels:N0}-pixel limit; scale it down first.");

        // libpng returns every row once the pixel data is in, even when the file stops right after
        // it; a PNG cut before its end chunk is still truncated (a copy interrupted, say), so say so.
        if (codec.EncodedFormat == SKEncodedImageFormat.Png && data.IndexOf(PngEnd) < 0)
            throw new ImageFormatException("The PNG image is truncated: the file ends before its IEND chunk.");

        bool gray = header.ColorType == SKColorType.Gray8;
        SKSizeI size = DecodeSize(codec, atLeast);
        RasterImage? image = TryDecode(codec, size, gray, out SKCodecResult result);
        if (result == SKCodecResult.InvalidScale && size != header.Size)
            image = TryDecode(codec, header.Size, gray, out result);
        if (image is null)
            throw new ImageFormatException(result switch
            {
                SKCodecResult.IncompleteInput => $"The {FormatName(codec.EncodedFormat)} image is truncated: the file ends before its last pixels.",
                SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => $"The {FormatName(codec.EncodedFormat)} image is corrupt: its pixel data cannot be decoded.",
                _ => $"The {FormatName(codec.EncodedFormat)} image cannot be decoded ({Plain(result)}).",
            });
        return RasterOrientation.Apply(image, codec.EncodedOrigin);
    }

    /// <summary>The format whose magic bytes start <paramref name="data"/>, to tell a damaged image from a file that is no image at all.</summary>
    private static string? Signature(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) ? "PNG"
        : data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "JPEG"
        : data.StartsWith("GIF8"u8) ? "GIF"
        : data.StartsWith("BM"u8) ? "BMP"
        : data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8) ? "WebP"
        : null;

    private static string FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => "PNG",
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Webp => "WebP",
        SKEncodedImageFormat.Bmp => "BMP",
        SKEncodedImageFormat.Gif => "GIF",
        _ => format.ToString().ToUpperInvariant(),
    };

    /// <summary>What Skia's result code means, in words a user reads (never the enum's name).</summary>
    private static string Plain(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file ends too early",
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => "its data is corrupt",
        SKCodecResult.InvalidConversion => "its pixel format cannot be converted to gray or RGBA",
        SKCodecResult.InvalidScale => "it cannot be decoded at the size asked for",
        SKCodecResult.Unimplemented => "it uses a feature of the format the decoder does not support",
        SKCodecResult.CouldNotRewind or SKCodecResult.InternalError or SKCodecResult.InvalidParameters => "the decoder failed on it",
        _ => "the decoder rejected it",
    };

    /// <summary>A PNG's last chunk: length 0, "IEND", its CRC.</summary>
    private static ReadOnlySpan<byte> PngEnd => [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    private static SKSizeI DecodeSize(SKCodec codec, (int Width, int Height)? atLeast)
    {
        SKSizeI full = codec.Info.Size;
        if (atLeast is not { } target) return full;
        foreach (float scale in (ReadOnlySpan<float>)[0.125f, 0.25f, 0.5f])
        {
            SKSizeI scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width >= 2 * target.Width && scaled.Height >= 2 * target.Height) return scaled;
        }
        return full;
    }

    private static RasterImage? TryDecode(SKCodec codec, SKSizeI size, bool gray, out SKCodecResult result)
    {
        var info = gray
            ? new SKImageInfo(size.Width, size.Height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[(long)info.BytesSize64];
        result = codec.GetPixels(info, pixels);
        return result == SKCodecResult.Success
            ? new RasterImage(size.Width, size.Height, gray ? PixelLayout.Gray : PixelLayout.Rgba, pixels)
            : null;
    }

    /// <summary>PNG, lossless; gray images stay one-channel files.</summary>
    public static byte[] EncodePng(RasterImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    /// <summary>JPEG at <paramref name="quality"/> (1–100); transparency is dropped, so composite first.</summary>
    public static byte[] EncodeJpeg(RasterImage image, int quality = 92)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Encode(image, SKEncodedImageFormat.Jpeg, quality);
    }

    private static unsafe byte[] Encode(RasterImage image, SKEncodedImageFormat format, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        (SKImageInfo info, byte[] pixels) = image.Layout switch
        {
            PixelLayout.Gray => (new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), image.Pixels),
            PixelLayout.Rgba => (new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), image.Pixels),
            PixelLayout.Rgb => (new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), ToRgba(image)),
            _ => (new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), ToRgba(image)),
        };
        fixed (byte* p = pixels)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, info.RowBytes);
            using SKData? encoded = pixmap.Encode(format, quality);
            return encoded?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode a {image} image as {format}.");
        }
    }

    /// <summary>Gray+alpha or RGB samples widened to RGBA (Skia has no packed 2- or 3-byte pixel type).</summary>
    private static byte[] ToRgba(RasterImage image)
    {
        int count = image.Width * image.Height;
        var rgba = new byte[count * 4];
        byte[] src = image.Pixels;
        for (int i = 0; i < count; i++)
        {
            if (image.Layout == PixelLayout.GrayAlpha)
            {
                rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = src[2 * i];
                rgba[4 * i + 3] = src[2 * i + 1];
            }
            else
            {
                rgba[4 * i] = src[3 * i];
                rgba[4 * i + 1] = src[3 * i + 1];
                rgba[4 * i + 2] = src[3 * i + 2];
                rgba[4 * i + 3] = 255;
            }
        }
        return rgba;
    }
}
