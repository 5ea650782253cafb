using System.Buffers.Binary;

namespace CnnNative.Tests.Fuzz;

/// <summary>
/// Deterministic damage to valid bytes: truncation, bit flips inside a region, overwriting a
/// big-endian or little-endian field with a size claim. One seeded <see cref="Random"/> per
/// input kind, so a failing case is the same case on every run.
/// </summary>
internal sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Values a size field is set to: zero, one, just over a limit, the sign bit, all ones, millions.</summary>
    public static readonly uint[] SizeClaims = [0, 1, 2, 7, 255, 4096, 4097, 65_535, 65_536, 2_700_000, 16_777_216, int.MaxValue, 0x8000_0000, 0xFFFF_FFFF];

    public int Next(int max) => _random.Next(max);

    public int Next(int min, int max) => _random.Next(min, max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>The first 0…length−1 bytes.</summary>
    public byte[] Truncate(byte[] data) => data.AsSpan(0, _random.Next(data.Length)).ToArray();

    /// <summary>One random bit flipped in [start, end).</summary>
    public byte[] FlipBit(byte[] data, int start, int end)
    {
        byte[] copy = (byte[])data.Clone();
        int at = _random.Next(start, end);
        copy[at] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    public static byte[] WithUInt32BigEndian(byte[] data, int offset, uint value)
    {
        byte[] copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithUInt32LittleEndian(byte[] data, int offset, uint value)
    {
        byte[] copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
