using CnnNative.Core;

namespace CnnNative.Tests.OpenCl;

/// <summary>Deterministic host data and device round trips for the OpenCL tests.</summary>
internal static class HostData
{
    public static float[] Random(int length, int seed, float low = -1f, float high = 1f)
    {
        var rnd = new Random(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = low + (float)rnd.NextDouble() * (high - low);
        return data;
    }

    /// <summary>A tensor holding <paramref name="data"/>.</summary>
    public static Tensor Put(IComputeProvider provider, float[] data, params int[] shape)
    {
        var t = provider.Allocate(shape.Length == 0 ? new TensorShape(data.Length) : new TensorShape(shape));
        provider.Upload(data, t);
        return t;
    }

    /// <summary>A tensor pre-filled with random garbage, so a kernel that skips an element cannot pass on zeros.</summary>
    public static Tensor Garbage(IComputeProvider provider, int length, int seed = 99) =>
        Put(provider, Random(length, seed, -50f, 50f));

    public static float[] Get(IComputeProvider provider, Tensor t)
    {
        var data = new float[t.Length];
        provider.Download(t, data);
        return data;
    }

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise, naming the first bad index.</summary>
    public static void Near(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol = 0, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(a - e) <= atol + rtol * Math.Abs(e);
            if (!ok) Assert.Fail($"{what}[{i}]: expected {e:R}, got {a:R} (tolerance {atol} + {rtol}·|expected|).");
        }
    }

    public static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol = 0, string what = "")
    {
        var e = new double[expected.Length];
        for (int i = 0; i < e.Length; i++) e[i] = expected[i];
        Near(e, actual, atol, rtol, what);
    }
}
