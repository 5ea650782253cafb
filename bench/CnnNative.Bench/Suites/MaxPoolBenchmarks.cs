using BenchmarkDotNet.Attributes;
using CnnNative.Core;

namespace CnnNative.Bench.Suites;

/// <summary>
/// Max-pool 2×2 stride 2 on SimpleConvNet's activations, 100×30×24×24: forward (with arg-max)
/// and forward + backward, as a training step runs them. Run: <c>./build.sh bench '*MaxPoolBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class MaxPoolBenchmarks : ProviderSuite
{
    private static readonly PoolGeometry Geometry = PoolGeometry.Square(100, 30, 24, 24, 2, 2);
    private Tensor _x = null!, _y = null!, _argmax = null!, _dy = null!, _dx = null!;

    [GlobalSetup]
    public void Setup()
    {
        StartProvider();
        var g = Geometry;
        _x = Random(1, 1f, g.Batch, g.Channels, g.Height, g.Width);
        _y = Zeros(g.Batch, g.Channels, g.OutputHeight, g.OutputWidth);
        _argmax = Zeros(g.Batch, g.Channels, g.OutputHeight, g.OutputWidth);
        _dy = Random(2, 1f, g.Batch, g.Channels, g.OutputHeight, g.OutputWidth);
        _dx = Zeros(g.Batch, g.Channels, g.Height, g.Width);
    }

    [Benchmark]
    public void Forward()
    {
        P.MaxPoolForward(_x, Geometry, _y, _argmax);
        P.Synchronize();
    }

    [Benchmark]
    public void ForwardBackward()
    {
        P.MaxPoolForward(_x, Geometry, _y, _argmax);
        P.MaxPoolBackward(_dy, _argmax, Geometry, _dx);
        P.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => StopProvider();
}
