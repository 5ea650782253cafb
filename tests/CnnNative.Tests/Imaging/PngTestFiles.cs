using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>Builds PNG files chunk by chunk (with valid CRCs) so tests can make exactly the damage they want.</summary>
internal static class PngTestFiles
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var result = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, data.Length);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        typeBytes.CopyTo(result, 4);
        data.CopyTo(result.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(8 + data.Length), Crc32.Compute(typeBytes, data));
        return result;
    }

    public static byte[] Header(uint width, uint height, byte bitDepth, byte colorType, byte interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        data[8] = bitDepth;
        data[9] = colorType;
        data[12] = interlace;
        return Chunk("IHDR", data);
    }

    public static byte[] ImageData(byte[] filteredScanlines)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
            zlib.Write(filteredScanlines);
        return Chunk("IDAT", output.ToArray());
    }

    public static byte[] End() => Chunk("IEND", []);

    public static byte[] File(params byte[][] parts)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        foreach (byte[] part in parts) output.Write(part);
        return output.ToArray();
    }

    /// <summary>A valid 2×2 8-bit gray file (filter None), for damaging.</summary>
    public static byte[] SmallGray() =>
        File(Header(2, 2, 8, 0), ImageData([0, 10, 20, 0, 30, 40]), End());

    /// <summary>The filter byte of each scanline of a file's IDAT stream.</summary>
    public static byte[] RowFilterTypes(byte[] png, int rowBytes, int height)
    {
        using var idat = new MemoryStream();
        int position = 8;
        while (position < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            if (Encoding.ASCII.GetString(png, position + 4, 4) == "IDAT")
                idat.Write(png, position + 8, length);
            position += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[height * (rowBytes + 1)];
        zlib.ReadExactly(raw);
        var filters = new byte[height];
        for (int y = 0; y < height; y++) filters[y] = raw[y * (rowBytes + 1)];
        return filters;
    }
}
