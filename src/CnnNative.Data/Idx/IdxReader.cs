using System.Buffers.Binary;
using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Reads MNIST-format IDX files, plain or gzip-compressed, and checks everything the format
/// promises before trusting it: the magic number, positive and sane dimensions, and that the
/// file holds exactly the bytes its header declares (no fewer: truncated; no more: corrupt
/// or mislabelled). Every failure is an <see cref="InvalidDataFileException"/> naming the file.
/// </summary>
public static class IdxReader
{
    private const string Redownload = "Download the file again (or point --data at a good copy).";

    /// <summary>Reads an images file (magic 2051) and normalises every pixel to byte / 255.</summary>
    public static IdxImages ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = IdxStream.Open(path);
        int[] dims = ReadHeader(stream, IdxFormat.ImagesMagic, 3);
        int count = dims[0], rows = dims[1], cols = dims[2];
        if (rows > IdxFormat.MaxImageSide || cols > IdxFormat.MaxImageSide)
            throw new InvalidDataFileException(path,
                $"the header declares {rows}×{cols} images; sides above {IdxFormat.MaxImageSide} mean a corrupt header.",
                Redownload);
        long pixels = (long)count * rows * cols;
        if (pixels > IdxFormat.MaxPixels)
            throw new InvalidDataFileException(path,
                $"the header declares {count} images of {rows}×{cols} ({pixels} pixels), more than the {IdxFormat.MaxPixels} one array can hold.",
                "Split the data set into smaller files.");

        CheckLength(stream, IdxFormat.HeaderLength(3), pixels, $"{count} images of {rows}×{cols}");
        var result = new float[pixels];
        ReadNormalised(stream, result, $"{count} images of {rows}×{cols}");
        ExpectEnd(stream, $"{count} images of {rows}×{cols}");
        return new IdxImages(count, rows, cols, result);
    }

    /// <summary>Reads a labels file (magic 2049): one unsigned byte per sample.</summary>
    public static byte[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = IdxStream.Open(path);
        int count = ReadHeader(stream, IdxFormat.LabelsMagic, 1)[0];
        CheckLength(stream, IdxFormat.HeaderLength(1), count, $"{count} labels");
        var labels = new byte[count];
        int got = stream.ReadUpTo(labels);
        if (got < count)
            throw Truncated(stream, $"{count} labels", count, got);
        ExpectEnd(stream, $"{count} labels");
        return labels;
    }

    /// <summary>Reads and validates the magic number and dimensions; returns the dimensions.</summary>
    private static int[] ReadHeader(IdxStream stream, int expectedMagic, int expectedDims)
    {
        string path = stream.Path;
        string wanted = IdxFormat.Describe(expectedMagic);
        Span<byte> magicBytes = stackalloc byte[4];
        int got = stream.ReadUpTo(magicBytes);
        if (got == 0)
            throw new InvalidDataFileException(path, $"the file is empty; expected {wanted}.", Redownload);
        if (got < 4)
            throw new InvalidDataFileException(path,
                $"the file is only {Plural.Of(got, "byte")} long, too short for an IDX header; expected {wanted}.", Redownload);

        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if (magic != expectedMagic)
        {
            if (magic is IdxFormat.ImagesMagic or IdxFormat.LabelsMagic)
                throw new InvalidDataFileException(path,
                    $"this is {IdxFormat.Describe(magic)} but {wanted} was expected.",
                    "Check that the images and labels files are not swapped or misnamed.");
            if (magicBytes[0] != 0 || magicBytes[1] != 0)
                throw new InvalidDataFileException(path,
                    $"it does not start with an IDX magic number (first bytes {magicBytes[0]:x2} {magicBytes[1]:x2} {magicBytes[2]:x2} {magicBytes[3]:x2}); expected {wanted}.",
                    "Point --data at a folder of MNIST-format (IDX) files, plain or .gz.");
            if (magicBytes[2] != IdxFormat.UnsignedByteType)
                throw new InvalidDataFileException(path,
                    $"it stores IDX data type 0x{magicBytes[2]:x2}, but only unsigned bytes (0x08) are supported; expected {wanted}.",
                    "Convert the file to unsigned-byte IDX as MNIST uses.");
            throw new InvalidDataFileException(path,
                $"it has {Plural.Of(magicBytes[3], "dimension")} (magic 0x{magic:X8}) but {wanted} has {expectedDims}.",
                "Check that the file is the one its name says.");
        }

        Span<byte> dimBytes = stackalloc byte[4 * expectedDims];
        got = stream.ReadUpTo(dimBytes);
        if (got < dimBytes.Length)
            throw new InvalidDataFileException(path,
                $"the header is truncated: {4 + got} of its {IdxFormat.HeaderLength(expectedDims)} bytes are present.",
                Redownload);

        var dims = new int[expectedDims];
        for (int i = 0; i < expectedDims; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.Slice(4 * i, 4));
            if (d == 0 || d > int.MaxValue)
                throw new InvalidDataFileException(path,
                    $"the header declares a {DimensionName(expectedDims, i)} of {d}; it must be between 1 and {int.MaxValue}.",
                    Redownload);
            dims[i] = (int)d;
        }
        return dims;
    }

    private static string DimensionName(int dims, int i) =>
        dims == 1 ? "label count" : i switch { 0 => "image count", 1 => "row count", _ => "column count" };

    /// <summary>Streams the pixel bytes through a small buffer so a 47 MB file never sits in memory twice.</summary>
    private static void ReadNormalised(IdxStream stream, float[] destination, string declared)
    {
        // A lookup table of b / 255f: the same float32 division numpy does for x / 255.0
        // on a float32 array, without a division per pixel.
        Span<float> table = stackalloc float[256];
        for (int b = 0; b < 256; b++) table[b] = b / 255f;

        var buffer = new byte[1 << 16];
        long done = 0;
        while (done < destination.Length)
        {
            int want = (int)Math.Min(buffer.Length, destination.Length - done);
            int got = stream.ReadUpTo(buffer.AsSpan(0, want));
            Span<float> dst = destination.AsSpan((int)done, got);
            for (int i = 0; i < got; i++) dst[i] = table[buffer[i]];
            done += got;
            if (got < want)
                throw Truncated(stream, declared, destination.Length, done);
        }
    }

    private static InvalidDataFileException Truncated(IdxStream stream, string declared, long expected, long got, bool byTrailer = false) =>
        new(stream.Path,
            $"the file is truncated: the header declares {declared} ({expected} data bytes) but only {got} data bytes follow{CompressedNote(stream, byTrailer)}.",
            Redownload);

    /// <summary>
    /// Compares what the header declares with the decoded length known before reading (the
    /// file length, or a gzip trailer's size), so a small file claiming millions of images is
    /// refused before anything is allocated. A gzip whose trailer lies is still caught while
    /// reading (zlib checks the trailer against the data) and by <see cref="ExpectEnd"/>.
    /// </summary>
    private static void CheckLength(IdxStream stream, int headerLength, long dataBytes, string declared)
    {
        long available = stream.DecodedLength - headerLength;
        // A gzip's size comes from its last four bytes: when they claim more than the header,
        // the file is as likely cut short (the "trailer" read is then compressed data) as padded.
        if (stream.IsCompressed && available > dataBytes)
            throw new InvalidDataFileException(stream.Path,
                $"the gzip trailer gives {stream.DecodedLength} decompressed bytes but the header declares {declared} ({headerLength + dataBytes} bytes): the download is cut short (its trailer missing) or the header is wrong.",
                Redownload);
        if (available < dataBytes)
            throw Truncated(stream, declared, dataBytes, Math.Max(0, available), byTrailer: true);
        if (available > dataBytes)
            throw ExtraBytes(stream, declared, headerLength + dataBytes, available - dataBytes, byTrailer: true);
    }

    private static void ExpectEnd(IdxStream stream, string declared)
    {
        long dataEnd = stream.Position;
        long extra = stream.CountRemaining();
        if (extra > 0)
            throw ExtraBytes(stream, declared, dataEnd, extra);
    }

    private static InvalidDataFileException ExtraBytes(IdxStream stream, string declared, long expected, long extra, bool byTrailer = false) =>
        new(stream.Path,
            $"the file has {Plural.Of(extra, "extra byte")} after the {declared} its header declares (expected {expected} bytes{CompressedNote(stream, byTrailer)}, found {expected + extra}).",
            "The header count or the data is wrong; download the file again.");

    private static string CompressedNote(IdxStream stream, bool byTrailer = false) =>
        !stream.IsCompressed ? "" : byTrailer ? " after decompression, by the gzip trailer" : " after decompression";
}
