using System.Buffers.Binary;

namespace CnnNative.Data.Imaging;

/// <summary>One chunk: its four-letter type and its data (a slice of the file).</summary>
internal readonly ref struct PngChunk(string type, ReadOnlySpan<byte> data)
{
    public string Type { get; } = type;

    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>Critical chunks have an upper-case first letter (PNG spec §5.4): a decoder must understand them.</summary>
    public bool IsCritical => char.IsAsciiLetterUpper(Type[0]);
}

/// <summary>
/// Walks the chunks of a PNG file after its signature, checking each chunk's bounds and CRC,
/// so that a truncated or damaged file fails here with the name of the chunk concerned.
/// </summary>
internal ref struct PngChunkReader(ReadOnlySpan<byte> file)
{
    private readonly ReadOnlySpan<byte> _file = file;
    private int _position = PngHeader.Signature.Length;

    public PngChunk Next()
    {
        int remaining = _file.Length - _position;
        if (remaining < 8)
            throw new ImageFormatException(
                $"The PNG file is truncated: it ends after {_file.Length} bytes without its IEND chunk.");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_file[_position..]);
        ReadOnlySpan<byte> typeBytes = _file.Slice(_position + 4, 4);
        foreach (byte b in typeBytes)
            if (!char.IsAsciiLetter((char)b))
                throw new ImageFormatException(
                    $"The PNG file is corrupt: the chunk at byte {_position} has no valid four-letter type.");
        string type = System.Text.Encoding.ASCII.GetString(typeBytes);
        if (length > int.MaxValue)
            throw new ImageFormatException($"The PNG file is corrupt: its '{type}' chunk claims {length} bytes, over the format's 2^31 − 1 limit.");
        if (remaining - 12 < length)
            throw new ImageFormatException(
                $"The PNG file is truncated: its '{type}' chunk needs {length + 12} bytes but only {remaining} remain.");
        ReadOnlySpan<byte> data = _file.Slice(_position + 8, (int)length);
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(_file[(_position + 8 + (int)length)..]);
        if (Crc32.Compute(typeBytes, data) != stored)
            throw new ImageFormatException($"The PNG file is corrupt: its '{type}' chunk fails the CRC check.");
        _position += 12 + (int)length;
        return new PngChunk(type, data);
    }
}
