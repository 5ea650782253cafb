using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CnnNative.Tests.Fuzz;

/// <summary>A minimal PNG writer (gray, 8-bit, filter 0) with correct CRCs, so fuzzing starts from a valid file whatever decoder is in use.</summary>
internal static class FuzzPng
{
    public static byte[] Gray(int width, int height, byte[] pixels)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        var raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++) pixels.AsSpan(y * width, width).CopyTo(raw.AsSpan(y * (width + 1) + 1));
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])];
    }

    /// <summary>Offset of the IHDR data (width at +0, height at +4, bit depth +8, colour type +9, interlace +12).</summary>
    public const int HeaderData = 16;

    /// <summary>Recomputes the IHDR chunk's CRC after an edit, so the decoder looks past the checksum.</summary>
    public static byte[] FixHeaderCrc(byte[] png)
    {
        byte[] copy = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(HeaderData + 13), Crc(copy.AsSpan(12, 4 + 13)));
        return copy;
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
