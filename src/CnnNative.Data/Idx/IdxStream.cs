using System.IO.Compression;
using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Opens an IDX file for reading, transparently decompressing gzip (recognised by its magic
/// bytes 1f 8b, whatever the file is called), and turns every I/O or decompression failure
/// into an <see cref="InvalidDataFileException"/> that names the file.
/// </summary>
internal sealed class IdxStream : IDisposable
{
    private readonly Stream _stream;

    private IdxStream(string path, Stream stream, bool compressed, long fileLength)
    {
        Path = path;
        _stream = stream;
        IsCompressed = compressed;
        FileLength = fileLength;
    }

    public string Path { get; }

    public bool IsCompressed { get; }

    /// <summary>Length of the file on disk (compressed length for gzip).</summary>
    public long FileLength { get; }

    /// <summary>Decoded bytes read so far.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Length of the decoded file: the file length for a plain file; for gzip the size its
    /// trailer records (exact below 4 GiB, which every readable IDX file is), read before
    /// anything is decompressed so a header's promise can be checked before allocating.
    /// </summary>
    public long DecodedLength { get; private init; }

    /// <summary>DEFLATE's best case is about 1032:1; a trailer claiming more than that is not a size.</summary>
    private const long MaxDeflateRatio = 1032;

    private const int GzipMinimumLength = 18; // 10-byte header + 8-byte trailer (CRC-32, size)

    public static IdxStream Open(string path)
    {
        FileStream file;
        try
        {
            file = RegularFile.OpenRead(path);
        }
        catch (NotARegularFileException e)
        {
            throw new InvalidDataFileException(path, e.Problem, "Point --data at a folder of MNIST-format (IDX) files, plain or .gz.", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataFileException(path, "the file does not exist.",
                "Check the path, or pass --data DIR pointing at an MNIST-format folder.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataFileException(path, $"the file cannot be opened ({e.Message}).",
                "Check that it exists and is readable.", e);
        }

        try
        {
            Span<byte> magic = stackalloc byte[2];
            int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            long length = file.Length;
            if (!gzip)
            {
                file.Position = 0;
                return new IdxStream(path, file, compressed: false, length) { DecodedLength = length };
            }
            if (length < GzipMinimumLength)
                throw new InvalidDataFileException(path,
                    $"the gzip file is truncated: {length} bytes, fewer than the {GzipMinimumLength} of an empty gzip member.",
                    "Download the file again.");
            Span<byte> trailer = stackalloc byte[4];
            file.Position = length - 4;
            file.ReadExactly(trailer);
            file.Position = 0;
            uint recorded = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            if (recorded > MaxDeflateRatio * length)
                throw new InvalidDataFileException(path,
                    $"the gzip file is cut short or damaged: its last 4 bytes, which record the decompressed size, say {recorded}, more than {length} compressed bytes can hold.",
                    "Download the file again.");
            var decoded = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
            return new IdxStream(path, decoded, compressed: true, length) { DecodedLength = recorded };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the data ends; returns the bytes read.</summary>
    public int ReadUpTo(Span<byte> buffer)
    {
        int total;
        try
        {
            total = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // zlib reports a bad CRC-32, a wrong length or damaged blocks all as "data error",
            // which .NET words as "unsupported compression method": say what it means instead.
            throw new InvalidDataFileException(Path,
                $"the gzip data is corrupt after {Position} decompressed bytes (its checksum or compressed blocks are damaged).",
                "Download the file again.", e);
        }
        catch (IOException e)
        {
            throw new InvalidDataFileException(Path, $"reading failed after {Position} bytes ({e.Message}).",
                "Check the disk and the file, then try again.", e);
        }
        Position += total;
        return total;
    }

    /// <summary>Counts the bytes left after the declared data (an error path: the file is too long).</summary>
    public long CountRemaining()
    {
        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        int got;
        while ((got = ReadUpTo(scratch)) > 0) extra += got;
        return extra;
    }

    public void Dispose() => _stream.Dispose();
}
