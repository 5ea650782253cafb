using System.IO.Compression;

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

    public static IdxStream Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException e)
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
            file.Position = 0;
            bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            Stream decoded = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
            return new IdxStream(path, decoded, gzip, file.Length);
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
            throw new InvalidDataFileException(Path,
                $"the gzip data is corrupt after {Position} decompressed bytes ({e.Message}).",
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
