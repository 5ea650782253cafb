namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Seeded test inputs. Seeds are derived from the case's own numbers (never from
/// string.GetHashCode, which changes per process), so a failing case repeats exactly.
/// </summary>
public sealed class TestData(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>A seed from the numbers that identify a case (FNV-1a over them).</summary>
    public static int Seed(params ReadOnlySpan<int> parts)
    {
        uint hash = 2166136261;
        foreach (int p in parts)
            for (int shift = 0; shift < 32; shift += 8)
                hash = (hash ^ (uint)((p >> shift) & 0xFF)) * 16777619;
        return (int)(hash & 0x7FFFFFFF);
    }

    public int Int(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public float Next(float min, float max) => (float)(min + (max - min) * _random.NextDouble());

    /// <summary>Uniform values in [min, max).</summary>
    public float[] Uniform(int length, float min = -1f, float max = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = Next(min, max);
        return values;
    }

    /// <summary>Small integers in [min, max]: many exact ties, for max-pool and argmax tie rules.</summary>
    public float[] Levels(int length, int min, int max)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = _random.Next(min, max + 1);
        return values;
    }

    /// <summary>Class labels in [0, classes) stored as floats, as the contract stores them.</summary>
    public float[] Labels(int length, int classes) => Levels(length, 0, classes - 1);

    /// <summary>Values a kernel might leave in place if it skipped an element: garbage or NaN.</summary>
    public float[] Garbage(int length, Prefill prefill) =>
        prefill == Prefill.NaN ? Enumerable.Repeat(float.NaN, length).ToArray() : Uniform(length, -1e3f, 1e3f);
}

/// <summary>What an output holds before the operation writes it.</summary>
public enum Prefill
{
    /// <summary>Large random values: a skipped element or a "+=" instead of "=" shows as a mismatch.</summary>
    Garbage,

    /// <summary>NaN: a skipped element, or an operation that reads an output it should ignore, shows as NaN.</summary>
    NaN,
}
