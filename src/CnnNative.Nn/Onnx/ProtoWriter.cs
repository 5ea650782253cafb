using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CnnNative.Nn.Onnx;

/// <summary>
/// Writes the protocol-buffers wire format (varints, fixed 32-bit floats, length-delimited
/// strings, bytes and embedded messages) into a growing buffer — the few encodings an ONNX
/// model needs. Write-only and hand-written: ONNX is a small, stable schema, so a generated
/// reader/writer and its runtime dependency would add more than they save. Field numbers
/// live in <see cref="OnnxFields"/>; the result is checked by ONNX Runtime in the tests.
/// </summary>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>An int32, int64 or enum field (negative values take ten bytes, as protobuf encodes them).</summary>
    public void Int64(int field, long value)
    {
        Tag(field, WireVarint);
        Varint(unchecked((ulong)value));
    }

    /// <summary>A float field (fixed 32 bits, little-endian).</summary>
    public void Float(int field, float value)
    {
        Tag(field, WireFixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>A string field, UTF-8.</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>An embedded message: written by <paramref name="write"/> into its own buffer, then length-prefixed here.</summary>
    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner.Written);
    }

    /// <summary>A repeated int64 field, packed (one length-delimited run of varints).</summary>
    public void PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var inner = new ProtoWriter();
        foreach (long v in values) inner.Varint(unchecked((ulong)v));
        Bytes(field, inner.Written);
    }

    /// <summary>Floats as raw little-endian bytes (ONNX's <c>raw_data</c> form of a tensor).</summary>
    public void RawFloats(int field, ReadOnlySpan<float> values)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)values.Length * 4);
        var span = _buffer.GetSpan(values.Length * 4);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(span.Slice(i * 4, 4), values[i]);
        _buffer.Advance(values.Length * 4);
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }
}
