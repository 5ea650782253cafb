using System.Buffers.Binary;

namespace CnnNative.Data.Imaging;

/// <summary>PNG colour types (PNG spec §11.2.2): the IHDR byte.</summary>
internal enum PngColorType : byte
{
    Gray = 0,
    Rgb = 2,
    Palette = 3,
    GrayAlpha = 4,
    Rgba = 6,
}

/// <summary>The IHDR chunk, validated: only what <see cref="PngDecoder"/> can decode gets through.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType)
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Samples per pixel in the file (a palette index is one sample).</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Rgb => 3,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgba => 4,
        _ => 1,
    };

    /// <summary>Bytes per complete pixel, at least 1: the distance the Sub/Average/Paeth filters look back.</summary>
    public int FilterStep => Math.Max(1, SamplesPerPixel * BitDepth / 8);

    /// <summary>Bytes in one scanline, without its filter byte.</summary>
    public int RowBytes => (int)(((long)Width * SamplesPerPixel * BitDepth + 7) / 8);

    public static PngHeader Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
            throw new ImageFormatException($"The PNG file is corrupt: its IHDR chunk holds {data.Length} bytes instead of 13.");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int bitDepth = data[8];
        byte colorType = data[9];
        if (width == 0 || height == 0)
            throw new ImageFormatException($"The PNG image has a zero size ({width}×{height}); an image needs at least one pixel.");
        if (width > int.MaxValue || height > int.MaxValue || (long)width * height > ImageSize.MaxPixels)
            throw new ImageFormatException($"The PNG image is {width}×{height}, larger than the {ImageSize.MaxPixels}-pixel limit.");
        if (data[10] != 0)
            throw new ImageFormatException($"The PNG file is corrupt: compression method {data[10]} is not the only defined one (0, deflate).");
        if (data[11] != 0)
            throw new ImageFormatException($"The PNG file is corrupt: filter method {data[11]} is not the only defined one (0, adaptive).");
        if (data[12] == 1)
            throw new ImageFormatException("Interlaced (Adam7) PNG files are not supported; save the image again without interlacing.");
        if (data[12] != 0)
            throw new ImageFormatException($"The PNG file is corrupt: interlace method {data[12]} is not 0 or 1.");
        if (bitDepth == 16 && colorType is 0 or 2 or 4 or 6)
            throw new ImageFormatException("16-bit PNG files are not supported; save the image with 8 bits per channel.");
        bool supported = colorType switch
        {
            0 or 3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth == 8,
            _ => false,
        };
        if (!supported)
            throw new ImageFormatException(colorType is 0 or 2 or 3 or 4 or 6
                ? $"The PNG file is corrupt: bit depth {bitDepth} is not valid for colour type {colorType}."
                : $"The PNG file is corrupt: colour type {colorType} does not exist.");
        return new PngHeader((int)width, (int)height, bitDepth, (PngColorType)colorType);
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, Width);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], Height);
        destination[8] = (byte)BitDepth;
        destination[9] = (byte)ColorType;
        destination[10] = 0; // deflate
        destination[11] = 0; // adaptive filtering
        destination[12] = 0; // not interlaced
    }
}
