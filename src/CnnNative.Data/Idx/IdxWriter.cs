using System.Buffers.Binary;
using System.IO.Compression;
using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Writes MNIST-format IDX files (plain or gzip), atomically. Used to export data sets built
/// or filtered by the tools, and by tests to make small files.
/// </summary>
public static class IdxWriter
{
    /// <summary>Writes an images file: <paramref name="pixels"/> holds count × rows × columns bytes.</summary>
    public static void WriteImages(string path, int count, int rows, int columns, ReadOnlySpan<byte> pixels, bool gzip)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)count * rows * columns != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixel bytes are not {count} images of {rows}×{columns}.", nameof(pixels));
        Write(path, IdxFormat.ImagesMagic, [count, rows, columns], pixels, gzip);
    }

    /// <summary>Writes a labels file of one byte per sample.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels, bool gzip)
    {
        if (labels.IsEmpty)
            throw new ArgumentException("A labels file needs at least one label.", nameof(labels));
        Write(path, IdxFormat.LabelsMagic, [labels.Length], labels, gzip);
    }

    /// <summary>The bytes of an IDX file, uncompressed: header then data.</summary>
    public static byte[] Encode(int magic, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data)
    {
        int header = IdxFormat.HeaderLength(dimensions.Length);
        var bytes = new byte[header + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes.AsSpan(header));
        return bytes;
    }

    /// <summary>Gzip-compresses <paramref name="bytes"/> (a complete gzip member).</summary>
    public static byte[] Gzip(ReadOnlySpan<byte> bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    private static void Write(string path, int magic, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data, bool gzip)
    {
        byte[] raw = Encode(magic, dimensions, data);
        AtomicFile.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
    }
}
