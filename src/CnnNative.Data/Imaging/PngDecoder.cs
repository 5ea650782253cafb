using System.IO.Compression;

namespace CnnNative.Data.Imaging;

/// <summary>
/// Decodes a non-interlaced PNG (gray at 1/2/4/8 bits, palette at 1/2/4/8 bits, 8-bit gray+alpha,
/// RGB and RGBA, with tRNS) to an 8-bit <see cref="RasterImage"/>. Every chunk's CRC is checked;
/// anything unsupported or damaged throws <see cref="ImageFormatException"/>.
/// </summary>
internal static class PngDecoder
{
    public static RasterImage Decode(ReadOnlySpan<byte> file)
    {
        if (!PngCodec.IsPng(file))
            throw new ImageFormatException(file.Length == 0
                ? "The file is empty, not a PNG image."
                : "The data is not a PNG image (the 8-byte PNG signature is missing).");

        var chunks = new PngChunkReader(file);
        PngChunk first = chunks.Next();
        if (first.Type != "IHDR")
            throw new ImageFormatException($"The PNG file is corrupt: its first chunk is '{first.Type}', not IHDR.");
        PngHeader header = PngHeader.Parse(first.Data);

        byte[]? palette = null, transparency = null;
        using var compressed = new MemoryStream();
        while (true)
        {
            PngChunk chunk = chunks.Next();
            switch (chunk.Type)
            {
                case "IEND":
                    return Finish(header, palette, transparency, compressed);
                case "IDAT":
                    compressed.Write(chunk.Data);
                    break;
                case "PLTE":
                    palette = ReadPalette(chunk.Data, header);
                    break;
                case "tRNS":
                    transparency = chunk.Data.ToArray();
                    break;
                case "IHDR":
                    throw new ImageFormatException("The PNG file is corrupt: it has a second IHDR chunk.");
                default:
                    if (chunk.IsCritical)
                        throw new ImageFormatException(
                            $"The PNG file uses a critical chunk '{chunk.Type}' that this decoder does not know.");
                    break; // ancillary chunks (text, gamma, physical size …) do not change the pixels we return
            }
        }
    }

    private static byte[] ReadPalette(ReadOnlySpan<byte> data, PngHeader header)
    {
        if (data.Length == 0 || data.Length % 3 != 0 || data.Length > 3 * 256)
            throw new ImageFormatException($"The PNG file is corrupt: its PLTE chunk holds {data.Length} bytes, not 3 to 768 in whole colours.");
        if (header.ColorType == PngColorType.Palette && data.Length / 3 > 1 << header.BitDepth)
            throw new ImageFormatException(
                $"The PNG file is corrupt: its palette has {data.Length / 3} colours, more than {header.BitDepth}-bit indices can reach.");
        return data.ToArray();
    }

    private static RasterImage Finish(PngHeader header, byte[]? palette, byte[]? transparency, MemoryStream compressed)
    {
        if (compressed.Length == 0)
            throw new ImageFormatException("The PNG file has no image data (no IDAT chunk).");
        if (header.ColorType == PngColorType.Palette && palette is null)
            throw new ImageFormatException("The PNG file is corrupt: it is a palette image without a PLTE chunk.");

        int rowBytes = header.RowBytes;
        byte[] filtered = Inflate(compressed, (long)header.Height * (rowBytes + 1));
        var expander = new PngSampleExpander(header, header.ColorType == PngColorType.Palette ? palette : null, transparency);
        PixelLayout layout = expander.Layout;
        int outStride = header.Width * (int)layout;
        var pixels = new byte[(long)outStride * header.Height];

        int bpp = header.FilterStep;
        var zeroRow = new byte[rowBytes];
        for (int y = 0; y < header.Height; y++)
        {
            int start = y * (rowBytes + 1);
            byte filter = filtered[start];
            if (filter > (byte)PngFilterType.Paeth)
                throw new ImageFormatException($"The PNG file is corrupt: row {y} uses filter type {filter}, and only 0 to 4 exist.");
            Span<byte> row = filtered.AsSpan(start + 1, rowBytes);
            ReadOnlySpan<byte> prior = y == 0 ? zeroRow : filtered.AsSpan(start - rowBytes, rowBytes);
            PngRowFilter.Reverse((PngFilterType)filter, row, prior, bpp);
            expander.ExpandRow(row, pixels.AsSpan(y * outStride, outStride), y);
        }
        return new RasterImage(header.Width, header.Height, layout, pixels);
    }

    /// <summary>Inflates the IDAT stream, which must hold at least <paramref name="expected"/> bytes (extra bytes are ignored, as libpng does).</summary>
    private static byte[] Inflate(MemoryStream compressed, long expected)
    {
        var result = new byte[expected];
        compressed.Position = 0;
        int read;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            read = zlib.ReadAtLeast(result, result.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ImageFormatException("The PNG file is corrupt: its compressed image data cannot be inflated.", ex);
        }
        if (read < expected)
            throw new ImageFormatException(
                $"The PNG file is truncated or corrupt: its image data inflates to {read} bytes but {expected} are needed.");
        return result;
    }
}
