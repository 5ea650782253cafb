using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Dropout masks come from the counter RNG, so every provider must draw exactly the oracle's mask.
public abstract partial class ProviderConformanceTests
{
    private static readonly float[] DropoutRatios = [0f, 0.1f, 0.5f, 0.9f, 0.3333f];

    public static TheoryData<int, bool> DropoutData()
    {
        var data = new TheoryData<int, bool>();
        foreach (int length in Cases.Lengths)
        {
            data.Add(length, false);
            data.Add(length, true);
        }
        return data;
    }

    [ProviderTheory]
    [MemberData(nameof(DropoutData))]
    public void DropoutForward_draws_exactly_the_oracle_mask(int length, bool inPlace)
    {
        float ratio = DropoutRatios[length % DropoutRatios.Length];
        ulong seed = 20251122UL + (ulong)length, stream = (ulong)length * 7919UL + (inPlace ? 1UL : 0UL);
        using var h = Harness(length, inPlace ? 1 : 0, 71);
        float[] xs = h.Data.Uniform(length, -2, 2);
        TensorPair x, y;
        if (inPlace) x = y = h.State(length, xs);
        else { x = h.Input(length, xs); y = h.Output(length); }
        var mask = h.Output(length, Prefill.NaN);
        string what = $"DropoutForward length {length}, ratio {ratio}, seed {seed}, stream {stream}{(inPlace ? ", y is x" : "")}";
        h.Run((p, t) => p.DropoutForward(t(x), ratio, seed, stream, t(y), t(mask)), what);
        h.Check(mask, Tolerance.Exact, what + ": mask");
        h.Check(y, Tolerance.Exact, what + ": y");
    }

    [ProviderTheory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(1000)]
    public void DropoutForward_drops_an_element_whose_uniform_equals_the_ratio(int index)
    {
        // The boundary of "Uniform > ratio": with the ratio set to element i's own uniform,
        // i must be dropped, and with the next float below it, kept. An off-by-one threshold
        // (≥, or rounding ratio·2²⁴ up) flips exactly this element, which random ratios almost never probe.
        const ulong seed = 77, stream = 3;
        float u = CounterRng.Uniform(CounterRng.StreamKey(seed, stream), (ulong)index);
        foreach (float ratio in new[] { u, MathF.BitDecrement(u) })
        {
            if (!(ratio >= 0f && ratio < 1f)) continue;
            using var h = Harness(index, BitConverter.SingleToInt32Bits(ratio), 73);
            int length = index + 21; // the element sits in a vector body and a scalar tail for some lengths
            var x = h.Input(length, h.Data.Uniform(length, 0.5f, 1.5f));
            var y = h.Output(length);
            var mask = h.Output(length, Prefill.NaN);
            string what = $"DropoutForward with ratio {ratio:R} = uniform of element {index}{(ratio == u ? "" : " minus one ulp")}";
            h.Run((p, t) => p.DropoutForward(t(x), ratio, seed, stream, t(y), t(mask)), what);
            h.Check(mask, Tolerance.Exact, what + ": mask");
            Assert.Equal(ratio == u ? 0f : 1f, h.Expected(mask)[index]); // the oracle itself obeys the boundary
        }
    }

    [ProviderFact]
    public void DropoutForward_mask_depends_on_seed_and_stream_only()
    {
        // Same (seed, stream) → same mask on a second call; another stream → another mask.
        using var h = Harness(72);
        const int length = 4099;
        var x = h.Input(length, h.Data.Uniform(length));
        var y = h.Output(length);
        var first = h.Output(length, Prefill.NaN);
        var again = h.Output(length, Prefill.NaN);
        var other = h.Output(length, Prefill.NaN);
        h.Run((p, t) => p.DropoutForward(t(x), 0.5f, 1, 2, t(y), t(first)), "DropoutForward stream 2");
        h.Run((p, t) => p.DropoutForward(t(x), 0.5f, 1, 2, t(y), t(again)), "DropoutForward stream 2 again");
        h.Run((p, t) => p.DropoutForward(t(x), 0.5f, 1, 3, t(y), t(other)), "DropoutForward stream 3");
        h.Check(other, Tolerance.Exact, "DropoutForward stream 3");
        Assert.Equal(h.Actual(first), h.Actual(again));
        Assert.NotEqual(h.Actual(first), h.Actual(other));
        float kept = h.Actual(first).Sum() / length;
        Assert.InRange(kept, 0.45f, 0.55f);
    }
}
