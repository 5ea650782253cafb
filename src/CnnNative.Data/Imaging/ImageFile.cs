using CnnNative.Core;
namespace CnnNative.Data.Imaging;

/// <summary>
/// Reading and writing image files. Reads PNG (every kind), JPEG, WebP, BMP and GIF through
/// SkiaSharp, and PGM, recognised by their content, not their names; every read goes through
/// <see cref="ImageLimits"/> (regular files only, header checked against the pixel cap before
/// decoding). Writes PNG, JPEG or PGM by extension, atomically, so a failed write leaves no
/// half-written file.
/// </summary>
public static class ImageFile
{
    /// <summary>The extensions <see cref="IsImagePath"/> accepts, lower case with the dot.</summary>
    public static IReadOnlyList<string> ReadableExtensions { get; } =
        [".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".pgm"];

    /// <summary>True when the file name ends in one of <see cref="ReadableExtensions"/> (any case).</summary>
    public static bool IsImagePath(string path) =>
        ReadableExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// Decodes image bytes; a PGM becomes a one-channel raster. <paramref name="atLeast"/> lets
    /// JPEG and WebP decode at a reduced scale that is still at least twice that size.
    /// </summary>
    public static RasterImage Decode(ReadOnlySpan<byte> data, (int Width, int Height)? atLeast = null)
    {
        if (PgmCodec.IsPgm(data)) return PgmCodec.Decode(data).ToRaster();
        if (data.Length >= 2 && data[0] == (byte)'P' && data[1] is >= (byte)'1' and <= (byte)'7')
            return PgmCodec.Decode(data).ToRaster(); // let the PGM reader name the Netpbm variant
        return SkiaImageCodec.Decode(data, ImageLimits.MaxPixels, atLeast);
    }

    /// <summary>Loads an image file; errors name the file.</summary>
    public static RasterImage Load(string path, (int Width, int Height)? atLeast = null)
    {
        byte[] data = ImageFileReader.ReadAllBytes(path);
        try
        {
            return Decode(data, atLeast);
        }
        catch (ImageFormatException ex)
        {
            throw new ImageFormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Loads an image as gray (BT.601 luma; transparency composited over <paramref name="background"/>, white by default).</summary>
    public static GrayImage LoadGray(string path, RgbColour? background = null) => GrayImage.FromRaster(Load(path), background);

    /// <summary>PNG bytes of a gray image (one-channel PNG).</summary>
    public static byte[] EncodePng(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return SkiaImageCodec.EncodePng(new RasterImage(image.Width, image.Height, PixelLayout.Gray, image.Pixels));
    }

    /// <summary>PNG bytes of any raster.</summary>
    public static byte[] EncodePng(RasterImage image) => SkiaImageCodec.EncodePng(image);

    /// <summary>
    /// Writes <paramref name="image"/> by the extension of <paramref name="path"/>: .pgm as PGM,
    /// .jpg/.jpeg as JPEG (quality 92), anything else as PNG; atomically.
    /// </summary>
    public static void Save(string path, GrayImage image) => AtomicFile.WriteAllBytes(path, EncodeFor(path, image));

    /// <summary>The bytes <see cref="Save(string, GrayImage)"/> writes for <paramref name="path"/>: PGM, JPEG or PNG by its extension.</summary>
    public static byte[] EncodeFor(string path, GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".pgm" => PgmCodec.Encode(image),
            ".jpg" or ".jpeg" => SkiaImageCodec.EncodeJpeg(new RasterImage(image.Width, image.Height, PixelLayout.Gray, image.Pixels)),
            _ => EncodePng(image),
        };
    }

    /// <summary>Writes <paramref name="image"/> as PNG, or JPEG when the path ends in .jpg/.jpeg; atomically.</summary>
    public static void Save(string path, RasterImage image) => AtomicFile.WriteAllBytes(path, EncodeFor(path, image));

    /// <summary>The bytes <see cref="Save(string, RasterImage)"/> writes for <paramref name="path"/>: JPEG (quality 92) for .jpg/.jpeg, else PNG.</summary>
    public static byte[] EncodeFor(string path, RasterImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".jpg" or ".jpeg" ? SkiaImageCodec.EncodeJpeg(image) : SkiaImageCodec.EncodePng(image);
    }
}
