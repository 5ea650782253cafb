using CnnNative.Core;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// Seeded host inputs and the tensors a check makes from them on one provider, all disposed
/// with the scope. The same seed gives the same values on every provider, so any difference
/// in the outputs is the providers'.
/// </summary>
internal sealed class CheckData(IComputeProvider provider, int seed) : IDisposable
{
    private readonly Random _random = new(seed);
    private readonly List<Tensor> _tensors = [];

    public IComputeProvider Provider => provider;

    /// <summary>Uniform values in [lo, hi).</summary>
    public float[] Uniform(int count, float lo = -1f, float hi = 1f)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = lo + (hi - lo) * (float)_random.NextDouble();
        return values;
    }

    /// <summary>Class indices in [0, classes) as floats.</summary>
    public float[] Labels(int count, int classes)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = _random.Next(classes);
        return values;
    }

    /// <summary>A tensor on the provider holding <paramref name="values"/>.</summary>
    public Tensor Tensor(float[] values, params int[] dims)
    {
        var t = provider.Allocate(new TensorShape(dims));
        _tensors.Add(t);
        provider.Upload(values, t);
        return t;
    }

    /// <summary>A tensor of uniform values in [−1, 1): inputs, and outputs prefilled so a kernel that skips elements shows.</summary>
    public Tensor Random(params int[] dims) => Tensor(Uniform(new TensorShape(dims).Length), dims);

    public CheckOutput Read(string name, Tensor t)
    {
        var values = new float[t.Length];
        provider.Download(t, values);
        return new CheckOutput(name, values);
    }

    public void Dispose()
    {
        foreach (var t in _tensors) t.Dispose();
        _tensors.Clear();
    }
}
