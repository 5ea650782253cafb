using System.Text;

namespace CnnNative.Tests.Infrastructure;

/// <summary>Element-wise comparison with a failure message that says where, what and by how much.</summary>
public static class Compare
{
    private const int ShownMismatches = 8;

    /// <summary>Fails when any actual[i] is outside the tolerance of expected[i].</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, Tolerance tolerance, string what)
    {
        if (expected.Length != actual.Length)
            Assert.Fail($"{what}: compared {actual.Length} values with {expected.Length} expected.");
        int bad = 0;
        double worst = 0;
        var shown = new StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            if (tolerance.Accepts(expected[i], actual[i])) continue;
            double diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= worst)) worst = diff; // NaN counts as the worst
            if (bad++ < ShownMismatches)
                shown.Append($"\n  [{i}] expected {expected[i]:G9}, got {actual[i]:G9} (|diff| {diff:G3})");
        }
        if (bad > 0)
            Assert.Fail($"{what}: {bad} of {expected.Length} values outside {tolerance} (worst |diff| {worst:G3}):{shown}" +
                        (bad > ShownMismatches ? $"\n  … {bad - ShownMismatches} more" : ""));
    }

    /// <summary>Fails unless both spans hold the same bits (NaN payloads included): untouched memory.</summary>
    public static void Bitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} changed from {expected[i]:G9} to {actual[i]:G9}; the operation must not touch it.");
    }
}
