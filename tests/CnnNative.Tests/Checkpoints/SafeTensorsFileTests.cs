using System.Buffers.Binary;
using System.Text;
using CnnNative.Nn.Checkpoints;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Checkpoints;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TempFolder _dir = new("safetensors");

    public void Dispose() => _dir.Dispose();

    private static NamedTensorData Tensor(string name, int[] shape, float start)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = start + i * 0.25f;
        return new NamedTensorData(name, shape, data);
    }

    private static readonly NamedTensorData[] Sample =
    [
        Tensor("conv1.weight", [3, 1, 2, 2], -1.5f),
        Tensor("conv1.bias", [3], 7f),
        Tensor("step", [], 42f),
        Tensor("empty", [0, 4], 0f),
        new NamedTensorData("specials", [4], [float.NaN, float.PositiveInfinity, -0f, float.Epsilon]),
    ];

    /// <summary>A file as another writer might lay it out: no padding, metadata last, keys reordered.</summary>
    private static byte[] RawFile(string json, ReadOnlySpan<byte> data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes.AsSpan(8 + header.Length));
        return bytes;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    private CheckpointException ReadFails(byte[] file)
    {
        string path = _dir.File("bad.safetensors");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void Tensors_and_metadata_round_trip_bit_for_bit()
    {
        string path = _dir.File("model.safetensors");
        var metadata = new Dictionary<string, string>
        {
            ["model"] = """{"layers":[{"type":"conv","filters":30}]}""",
            ["note"] = "Ünïcode ✓ and \"quotes\"",
        };

        SafeTensorsFile.Write(path, Sample, metadata);
        SafeTensorsContent read = SafeTensorsFile.Read(path);

        Assert.Equal(Sample.Select(t => t.Name), read.Tensors.Select(t => t.Name));
        foreach (var expected in Sample)
        {
            NamedTensorData actual = read.Find(expected.Name)!;
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data.Select(BitConverter.SingleToInt32Bits), actual.Data.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(metadata, read.Metadata);
    }

    [Fact]
    public void The_layout_is_standard_safetensors_with_an_aligned_data_section()
    {
        string path = _dir.File("layout.safetensors");
        SafeTensorsFile.Write(path, [new NamedTensorData("w", [2], [1f, -2f])], new Dictionary<string, string> { ["k"] = "v" });

        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string json = Encoding.UTF8.GetString(bytes, 8, (int)n);

        Assert.Equal(0, (8 + n) % 8);
        Assert.Equal("""{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", json.TrimEnd(' '));
        Assert.Equal(Floats(1f, -2f), bytes[(int)(8 + n)..]);
    }

    [Fact]
    public void A_file_from_another_writer_is_read()
    {
        byte[] file = RawFile(
            """{"b":{"data_offsets":[8,12],"shape":[1],"dtype":"F32"},"a":{"shape":[2,1],"dtype":"F32","data_offsets":[0,8]},"__metadata__":{"format":"pt"}}""",
            Floats(3f, 4f, 5f));
        string path = _dir.File("foreign.safetensors");
        File.WriteAllBytes(path, file);

        SafeTensorsContent read = SafeTensorsFile.Read(path);

        Assert.Equal(["a", "b"], read.Tensors.Select(t => t.Name)); // data order
        Assert.Equal([3f, 4f], read.Find("a")!.Data);
        Assert.Equal([2, 1], read.Find("a")!.Shape);
        Assert.Equal([5f], read.Find("b")!.Data);
        Assert.Equal("pt", read.Metadata["format"]);
    }

    [Fact]
    public void The_header_alone_can_be_checked_before_reading_data()
    {
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample);

        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(path);

        Assert.Equal([3, 1, 2, 2], header.Find("conv1.weight")!.Shape);
        Assert.Equal(12, header.Find("conv1.weight")!.ElementCount);
        Assert.Empty(header.Metadata);
        Assert.Equal(Sample[1].Data, SafeTensorsFile.Read(header).Find("conv1.bias")!.Data);
    }

    [Fact]
    public void Reading_data_after_the_file_changed_is_refused()
    {
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample);
        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(path);
        SafeTensorsFile.Write(path, [Sample[0]]);

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(header));

        Assert.Contains("the file changed since its header was read", e.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_truncated()
    {
        var e = ReadFails([1, 2, 3]);

        Assert.Contains("the file is truncated: it has 3 bytes", e.Message);
    }

    [Fact]
    public void A_header_length_pointing_past_the_end_is_reported()
    {
        byte[] file = RawFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1f));
        BinaryPrimitives.WriteUInt64LittleEndian(file, 5000);

        var e = ReadFails(file);

        Assert.Contains($"the header length 5000 points past the end of the file ({file.Length} bytes)", e.Message);
    }

    [Fact]
    public void An_absurd_header_length_is_rejected_before_reading_it()
    {
        string path = _dir.File("huge.safetensors");
        using (var stream = File.Create(path))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, 200_000_000);
            stream.Write(prefix);
            stream.SetLength(300_000_000); // sparse: costs no disk
        }

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.ReadHeader(path));

        Assert.Contains("exceeds the 100000000-byte limit", e.Message);
    }

    [Fact]
    public void Corrupt_json_is_reported()
    {
        var e = ReadFails(RawFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", Floats(1f)));

        Assert.Contains("the header is not valid JSON", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_safetensors_is_reported()
    {
        var e = ReadFails(RawFile("""["not", "an", "object"]""", []));

        Assert.Contains("does not start with '{'", e.Message);
    }

    [Fact]
    public void Other_dtypes_are_refused()
    {
        var e = ReadFails(RawFile("""{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}""", new byte[4]));

        Assert.Contains("tensor 'a' has dtype BF16; only F32 tensors are supported", e.Message);
    }

    [Fact]
    public void A_shape_that_disagrees_with_the_offsets_is_reported()
    {
        var e = ReadFails(RawFile("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", Floats(1f, 2f)));

        Assert.Contains("shape [3] (3 F32 values, 12 bytes) but its data_offsets [0, 8] span 8 bytes", e.Message);
    }

    [Fact]
    public void Negative_or_reversed_offsets_are_reported()
    {
        var e = ReadFails(RawFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", Floats(1f)));

        Assert.Contains("0 ≤ begin ≤ end", e.Message);
    }

    [Fact]
    public void Overlapping_tensors_are_reported()
    {
        var e = ReadFails(RawFile(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            Floats(1f, 2f, 3f)));

        Assert.Contains("tensors 'a' and 'b' overlap", e.Message);
    }

    [Fact]
    public void A_gap_between_tensors_is_reported()
    {
        var e = ReadFails(RawFile(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            Floats(1f, 2f, 3f)));

        Assert.Contains("gap of 4 bytes before tensor 'b'", e.Message);
    }

    [Fact]
    public void A_written_file_cut_short_is_reported_as_truncated()
    {
        string path = _dir.File("cut.safetensors");
        SafeTensorsFile.Write(path, Sample);
        byte[] bytes = File.ReadAllBytes(path);

        var e = ReadFails(bytes[..^6]);

        Assert.Contains("the file is truncated: tensor 'specials' ends at byte", e.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_last_tensor_are_reported()
    {
        var e = ReadFails(RawFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1f, 2f)));

        Assert.Contains("the tensors cover 4 bytes but 8 data bytes follow the header (4 extra)", e.Message);
    }

    [Fact]
    public void Non_string_metadata_is_reported()
    {
        var e = ReadFails(RawFile("""{"__metadata__":{"epoch":3}}""", []));

        Assert.Contains("metadata 'epoch' is a JSON Number", e.Message);
    }

    [Fact]
    public void A_duplicate_tensor_name_in_the_header_is_reported()
    {
        var e = ReadFails(RawFile(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            Floats(1f, 2f)));

        Assert.Contains("names 'a' twice", e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        string path = _dir.File("missing.safetensors");

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));

        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_failed_write_leaves_the_existing_checkpoint_intact()
    {
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [Sample[0], Sample[0]]));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new NamedTensorData("__metadata__", [1], [1f])]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void NamedTensorData_checks_shape_against_data()
    {
        Assert.Throws<ArgumentException>(() => new NamedTensorData("x", [2, 3], new float[5]));
        Assert.Throws<ArgumentException>(() => new NamedTensorData("x", [-1], []));
        Assert.Throws<ArgumentException>(() => new NamedTensorData("", [1], new float[1]));
    }
}
