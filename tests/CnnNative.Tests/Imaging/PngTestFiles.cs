using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

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
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(8 + data.Length), Crc(result.AsSpan(4, 4 + data.Length)));
        return result;
    }

    /// <summary>The PNG chunk CRC (CRC-32, polynomial 0xEDB88320) of the type and data bytes, bit by bit.</summary>
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
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
}
