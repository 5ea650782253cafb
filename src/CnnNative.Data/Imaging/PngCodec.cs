namespace CnnNative.Data.Imaging;

/// <summary>
/// A small PNG codec on the BCL's <see cref="System.IO.Compression.ZLibStream"/>.
/// <para>Decodes non-interlaced PNG: gray (1, 2, 4, 8 bits), palette (1, 2, 4, 8 bits),
/// gray+alpha, RGB and RGBA (8 bits), all five row filters, tRNS transparency; every chunk's
/// CRC is checked. 16-bit and interlaced files, and damaged ones, throw
/// <see cref="ImageFormatException"/> with a one-sentence reason.</para>
/// <para>Encodes 8-bit gray, gray+alpha, RGB and RGBA.</para>
/// </summary>
public static class PngCodec
{
    /// <summary>True when <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) =>
        data.Length >= PngHeader.Signature.Length && data[..PngHeader.Signature.Length].SequenceEqual(PngHeader.Signature);

    public static RasterImage Decode(ReadOnlySpan<byte> data) => PngDecoder.Decode(data);

    /// <summary>Reads <paramref name="source"/> to its end and decodes it.</summary>
    public static RasterImage Decode(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        return PngDecoder.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static byte[] Encode(RasterImage image, PngEncoderOptions? options = null)
    {
        using var output = new MemoryStream();
        Encode(image, output, options);
        return output.ToArray();
    }

    public static void Encode(RasterImage image, Stream destination, PngEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        PngEncoder.Encode(image, destination, options ?? new PngEncoderOptions());
    }

    /// <summary>Encodes a gray image (8-bit, one channel).</summary>
    public static byte[] Encode(GrayImage image, PngEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(new RasterImage(image.Width, image.Height, PixelLayout.Gray, image.Pixels), options);
    }
}
