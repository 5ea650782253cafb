using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using CnnNative.Core;

namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format (huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ..., "__metadata__": {string: string}}</c>,
/// then the raw little-endian tensor data, offsets relative to the end of the header.
/// Writing is atomic (<see cref="AtomicFile"/>): an existing checkpoint is never damaged.
/// Reading checks the header completely — length, JSON, dtypes, shapes against offsets,
/// offsets against the file — before allocating or reading any tensor data.
/// </summary>
internal static class SafeTensorsFile
{
    /// <summary>The reserved header key of the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The only dtype this library reads and writes.</summary>
    public const string Float32 = "F32";

    /// <summary>Largest header accepted (the reference implementation's limit); larger means corrupt.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (in that order) and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, IReadOnlyList<NamedTensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = EncodeHeader(tensors, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var tensor in tensors)
                WriteLittleEndian(stream, tensor.Data);
        });
    }

    /// <summary>Reads and validates only the header (no tensor data is read).</summary>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using FileStream file = Open(path);
        return ReadHeader(path, file);
    }

    /// <summary>Reads the whole file: validated header, then every tensor.</summary>
    public static SafeTensorsContent Read(string path)
    {
        using FileStream file = Open(path);
        SafeTensorsHeader header = ReadHeader(path, file);
        return ReadData(header, file);
    }

    /// <summary>
    /// Reads the tensors of a header obtained from <see cref="ReadHeader(string)"/>, after the
    /// caller has checked names and shapes against its model. Fails if the file changed since.
    /// </summary>
    public static SafeTensorsContent Read(SafeTensorsHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        using FileStream file = Open(header.Path);
        if (file.Length != header.FileLength)
            throw new CheckpointException(header.Path,
                $"the file changed since its header was read ({header.FileLength} bytes then, {file.Length} now).",
                "Load it again and do not overwrite it while it is being read.");
        return ReadData(header, file);
    }

    private static FileStream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return RegularFile.OpenRead(path);
        }
        catch (NotARegularFileException e)
        {
            throw new CheckpointException(path, e.Problem, "Pass a model.safetensors file (a training run folder holds one).", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException(path, "the file does not exist.",
                "Check the path; a training run folder holds model.safetensors.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"the file cannot be opened ({e.Message}).", "Check that it is readable.", e);
        }
    }

    private static SafeTensorsHeader ReadHeader(string path, FileStream file)
    {
        long fileLength = file.Length;
        if (fileLength < 8)
            throw new CheckpointException(path,
                $"the file is truncated: it has {fileLength} bytes, fewer than the 8-byte header length that starts a safetensors file.",
                "Use another checkpoint or train again.");

        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointException(path,
                $"the header length {headerLength} points past the end of the file ({fileLength} bytes): the file is truncated or not a safetensors file.",
                "Use another checkpoint or train again.");
        if (headerLength > MaxHeaderLength)
            throw new CheckpointException(path,
                $"the header length {headerLength} exceeds the {MaxHeaderLength}-byte limit; the file is corrupt or not a safetensors file.",
                "Use another checkpoint or train again.");
        if (headerLength < 2)
            throw new CheckpointException(path, $"the header length {headerLength} is too short for a JSON object.",
                "The file is corrupt; use another checkpoint or train again.");

        var json = new byte[headerLength];
        file.ReadExactly(json);
        if (json[0] != (byte)'{')
            throw new CheckpointException(path, $"the header does not start with '{{' (byte 0x{json[0]:x2}); this is not a safetensors file.",
                "Pass a .safetensors checkpoint written by the CnnNative trainer.");
        long dataStart = 8 + (long)headerLength;
        return SafeTensorsHeaderParser.Parse(path, json, dataStart, fileLength);
    }

    private static SafeTensorsContent ReadData(SafeTensorsHeader header, FileStream file)
    {
        var tensors = new List<NamedTensorData>(header.Tensors.Count);
        foreach (var entry in header.Tensors)
        {
            var data = new float[entry.ElementCount];
            file.Position = header.DataStart + entry.Begin;
            try
            {
                file.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            }
            catch (EndOfStreamException e)
            {
                throw new CheckpointException(header.Path, $"the file ended while reading tensor '{entry.Name}'.",
                    "The file is truncated; use another checkpoint or train again.", e);
            }
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            tensors.Add(new NamedTensorData(entry.Name, entry.Shape, data));
        }
        return new SafeTensorsContent(tensors, header.Metadata);
    }

    /// <summary>The JSON header, padded with spaces so the data starts 8-byte aligned (as the reference writer does).</summary>
    private static byte[] EncodeHeader(IReadOnlyList<NamedTensorData> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    ArgumentNullException.ThrowIfNull(key, nameof(metadata));
                    if (value is null)
                        throw new ArgumentException($"Metadata '{key}' has a null value; safetensors metadata values are strings.", nameof(metadata));
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                if (tensor.Name == MetadataKey)
                    throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                if (!names.Add(tensor.Name))
                    throw new ArgumentException($"Two tensors are named '{tensor.Name}'; names must be unique.", nameof(tensors));
                long bytes = (long)tensor.Data.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", Float32);
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 8 + 7) / 8 * 8 - 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteLittleEndian(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        var chunk = new int[4096];
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
        for (int start = 0; start < bits.Length; start += chunk.Length)
        {
            int n = Math.Min(chunk.Length, bits.Length - start);
            BinaryPrimitives.ReverseEndianness(bits.Slice(start, n), chunk.AsSpan(0, n));
            stream.Write(MemoryMarshal.AsBytes(chunk.AsSpan(0, n)));
        }
    }
}
