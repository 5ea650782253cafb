using CnnNative.Core;
namespace CnnNative.Data.Imaging;

/// <summary>
/// Reading and writing image files by content and extension: PNG or PGM in (recognised by
/// their magic bytes, not their names), PNG or PGM out (by extension). Writes are atomic, so
/// a failed write leaves no half-written file.
/// </summary>
public static class ImageFile
{
    /// <summary>Decodes PNG or PGM bytes; a PGM becomes a one-channel raster.</summary>
    public static RasterImage Decode(ReadOnlySpan<byte> data)
    {
        if (PngCodec.IsPng(data)) return PngCodec.Decode(data);
        if (PgmCodec.IsPgm(data)) return PgmCodec.Decode(data).ToRaster();
        if (data.Length == 0) throw new ImageFormatException("The file is empty, not an image.");
        if (data.Length >= 2 && data[0] == (byte)'P' && data[1] is >= (byte)'1' and <= (byte)'7')
            return PgmCodec.Decode(data).ToRaster(); // let the PGM reader name the Netpbm variant
        throw new ImageFormatException("The file is neither a PNG nor a PGM image; convert it to PNG first.");
    }

    /// <summary>Loads a PNG or PGM file; format errors name the file.</summary>
    public static RasterImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data = File.ReadAllBytes(path);
        try
        {
            return Decode(data);
        }
        catch (ImageFormatException ex)
        {
            throw new ImageFormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Loads a PNG or PGM file as gray (BT.601 luma; transparency composited over <paramref name="background"/>).</summary>
    public static GrayImage LoadGray(string path, byte background = 255) => GrayImage.FromRaster(Load(path), background);

    /// <summary>
    /// Writes <paramref name="image"/> as PGM when <paramref name="path"/> ends in .pgm, as PNG
    /// otherwise; atomically (a temporary file in the same folder, then a rename).
    /// </summary>
    public static void Save(string path, GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        bool pgm = string.Equals(Path.GetExtension(path), ".pgm", StringComparison.OrdinalIgnoreCase);
        AtomicFile.WriteAllBytes(path, pgm ? PgmCodec.Encode(image) : PngCodec.Encode(image));
    }

    /// <summary>Writes <paramref name="image"/> as PNG, atomically.</summary>
    public static void SavePng(string path, RasterImage image) => AtomicFile.WriteAllBytes(path, PngCodec.Encode(image));
}
