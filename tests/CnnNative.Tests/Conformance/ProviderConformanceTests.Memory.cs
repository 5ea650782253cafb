using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Allocate, Upload, Download, Copy, Fill, Synchronize: exact, and never past the named length.
public abstract partial class ProviderConformanceTests
{
    [ProviderTheory]
    [MemberData(nameof(Cases.LengthData), MemberType = typeof(Cases))]
    public void Allocate_returns_zeros_even_after_dirty_memory_was_freed(int length)
    {
        for (int round = 0; round < 3; round++)
        {
            using var dirty = Provider.Allocate(new TensorShape(length));
            Provider.Fill(dirty, 12345f);
        }
        using var fresh = Provider.Allocate(new TensorShape(length));
        Assert.Equal(length, fresh.Length);
        Assert.Same(Provider, fresh.Provider);
        var values = new float[length];
        values.AsSpan().Fill(float.NaN);
        Provider.Download(fresh, values);
        int nonZero = Array.FindIndex(values, v => BitConverter.SingleToInt32Bits(v) != 0);
        Assert.True(nonZero < 0, $"Allocate({length}) element {nonZero} is {(nonZero < 0 ? 0 : values[nonZero])}, not +0.");
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.LengthData), MemberType = typeof(Cases))]
    public void Upload_then_Download_round_trips_every_bit(int length)
    {
        var data = new TestData(TestData.Seed(length, 1));
        float[] values = data.Uniform(length, -1e6f, 1e6f);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f];
        for (int i = 0; i < Math.Min(length, specials.Length); i++) values[length - 1 - i] = specials[i];
        using var t = Provider.Allocate(new TensorShape(length));
        Provider.Upload(values, t);
        var back = new float[length];
        Provider.Download(t, back);
        Compare.Bitwise(values, back, $"Upload/Download of {length}");
    }

    [ProviderTheory]
    [InlineData(1, 3)]
    [InlineData(16, 17)]
    [InlineData(100, 257)]
    public void Upload_of_fewer_values_writes_only_the_prefix(int uploaded, int length)
    {
        var data = new TestData(TestData.Seed(uploaded, length, 2));
        float[] before = data.Uniform(length), prefix = data.Uniform(uploaded);
        using var t = Provider.Allocate(new TensorShape(length));
        Provider.Upload(before, t);
        Provider.Upload(prefix, t);
        var back = new float[length];
        Provider.Download(t, back);
        Compare.Bitwise(prefix, back.AsSpan(0, uploaded), "uploaded prefix");
        Compare.Bitwise(before.AsSpan(uploaded), back.AsSpan(uploaded), "elements after an Upload of fewer values");

        var firstFew = new float[uploaded];
        Provider.Download(t, firstFew);
        Compare.Bitwise(prefix, firstFew, "Download into a shorter span");
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.LengthData), MemberType = typeof(Cases))]
    public void Double_upload_keeps_float_precision_or_better_and_float_download_rounds(int length)
    {
        // A float provider stores (float)v and widens it exactly; a double provider (the oracle) keeps v.
        var random = new Random(TestData.Seed(length, 3));
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7));
        using var t = Provider.Allocate(new TensorShape(length));
        Provider.Upload(values, t);
        var asFloat = new float[length];
        Provider.Download(t, asFloat);
        var asDouble = new double[length];
        Provider.Download(t, asDouble);
        for (int i = 0; i < length; i++)
        {
            Assert.True((float)values[i] == asFloat[i], $"Upload(double) then Download(float) [{i}]: {values[i]:R} should give {(float)values[i]:R}, got {asFloat[i]:R}");
            Assert.True(asDouble[i] == values[i] || asDouble[i] == (float)values[i],
                $"Upload(double) then Download(double) [{i}]: {values[i]:R} came back as {asDouble[i]:R}, neither itself nor its float rounding");
        }
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.LengthData), MemberType = typeof(Cases))]
    public void Copy_copies_src_into_the_start_of_a_longer_dst(int length)
    {
        using var h = Harness(length, 4);
        var src = h.Input(length, h.Data.Uniform(length));
        var dst = h.Output(length + 5);
        h.Run((p, t) => p.Copy(t(src), t(dst)), "Copy");
        h.Check(dst, Tolerance.Exact, $"Copy {length} into {length + 5}");
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.LengthData), MemberType = typeof(Cases))]
    public void Fill_sets_every_element_and_nothing_else(int length)
    {
        using var h = Harness(length, 5);
        var x = h.Output(length, Prefill.NaN);
        h.Run((p, t) => p.Fill(t(x), -2.5f), "Fill");
        h.Check(x, Tolerance.Exact, $"Fill {length}");
    }

    [ProviderFact]
    public void Synchronize_returns_after_queued_work()
    {
        using var t = Provider.Allocate(new TensorShape(1000));
        Provider.Fill(t, 3f);
        Provider.Synchronize();
        Provider.Synchronize();
        var back = new float[1000];
        Provider.Download(t, back);
        Assert.All(back, v => Assert.Equal(3f, v));
    }
}
