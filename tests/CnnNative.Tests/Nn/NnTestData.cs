using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Tests.Nn;

/// <summary>Deterministic test inputs for layer and network tests.</summary>
internal static class NnTestData
{
    /// <summary>Standard normal values from the counter-based generator (stream <paramref name="stream"/>).</summary>
    public static double[] Normal(int length, ulong stream, double scale = 1.0)
    {
        ulong key = CounterRng.StreamKey(777, stream);
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = scale * CounterRng.Normal(key, (ulong)i);
        return values;
    }

    /// <summary>A tensor of the given shape on <paramref name="provider"/> filled with N(0, scale²) values.</summary>
    public static Tensor Random(IComputeProvider provider, ulong stream, params int[] dims)
    {
        var t = provider.Allocate(new TensorShape(dims));
        provider.Upload(Normal(t.Length, stream), t);
        return t;
    }

    /// <summary>Labels 0..classes-1 (as floats) for <paramref name="batch"/> samples.</summary>
    public static Tensor Labels(IComputeProvider provider, int batch, int classes, ulong stream = 99)
    {
        ulong key = CounterRng.StreamKey(777, stream);
        var values = new float[batch];
        for (int i = 0; i < batch; i++) values[i] = (int)(CounterRng.Uniform(key, (ulong)i) * classes);
        var t = provider.Allocate(new TensorShape(batch));
        provider.Upload(values, t);
        return t;
    }

    /// <summary>Gives every weight of the layer a random value (biases, γ and β too, so they are not trivially 0/1).</summary>
    public static void Randomize(Layer layer, ulong stream, double scale = 0.5)
    {
        foreach (var p in layer.Parameters)
        {
            var values = Normal(p.Value.Length, stream++, scale);
            if (p.Role == ParameterRole.Scale)
                for (int i = 0; i < values.Length; i++) values[i] += 1.0;
            layer.Provider.Upload(values, p.Value);
        }
    }

    public static double[] Download(Tensor t)
    {
        var values = new double[t.Length];
        t.Provider.Download(t, values);
        return values;
    }
}
