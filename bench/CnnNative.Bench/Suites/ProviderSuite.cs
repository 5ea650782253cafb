using BenchmarkDotNet.Attributes;
using CnnNative.Core;

namespace CnnNative.Bench.Suites;

/// <summary>
/// What every provider-parametrised suite shares: the <see cref="Provider"/> parameter (every
/// provider that starts here, see <see cref="BenchProviders.Available"/>), the provider
/// itself, and tensors filled with seeded random values that are disposed with it. Measured
/// methods end with <see cref="IComputeProvider.Synchronize"/>: OpenCL queues work and returns,
/// so without it a benchmark would time the enqueue, not the computation.
/// </summary>
public abstract class ProviderSuite
{
    private readonly List<Tensor> _tensors = [];

    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "managed";

    public static IEnumerable<string> Providers => BenchProviders.Available;

    protected IComputeProvider P { get; private set; } = null!;

    /// <summary>Starts <see cref="Provider"/>; call first in [GlobalSetup].</summary>
    protected void StartProvider() => P = BenchProviders.Create(Provider);

    /// <summary>Disposes every tensor made here and the provider; call in [GlobalCleanup].</summary>
    protected void StopProvider()
    {
        foreach (var t in _tensors) t.Dispose();
        _tensors.Clear();
        P?.Dispose();
        P = null!;
    }

    /// <summary>A zero-filled tensor owned by the suite.</summary>
    protected Tensor Zeros(params int[] dims)
    {
        var t = P.Allocate(new TensorShape(dims));
        _tensors.Add(t);
        return t;
    }

    /// <summary>A tensor of uniform values in [−scale, scale), the same for a given seed on every provider.</summary>
    protected Tensor Random(int seed, float scale, params int[] dims)
    {
        var t = Zeros(dims);
        Fill(t, seed, scale);
        return t;
    }

    /// <summary>Overwrites <paramref name="t"/> with uniform values in [−scale, scale).</summary>
    protected void Fill(Tensor t, int seed, float scale)
    {
        // A multiplicative hash of (seed, index) rather than System.Random: setup fills tens of
        // millions of values and the dry run in CI should not spend its time here.
        var values = new float[t.Length];
        uint mix = (uint)seed * 0x9E3779B9u;
        for (int i = 0; i < values.Length; i++)
        {
            uint h = ((uint)i + mix) * 2654435761u;
            values[i] = ((h >> 8) * (1f / (1 << 24)) * 2f - 1f) * scale;
        }
        P.Upload(values, t);
    }
}
