using BenchmarkDotNet.Attributes;
using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Bench.Suites;

/// <summary>
/// The Nn <see cref="Convolution"/> layer (im2col + GEMM + transpose + bias, and its backward)
/// on the cases of <see cref="ConvLayerCase"/>. A layer allows one Backward per Forward, so
/// backward is timed as <see cref="ForwardBackward"/>; backward alone is the difference.
/// For SimpleConvNet's first layer backward is the weight and bias gradient only (no col2im),
/// exactly what a training step runs. Run: <c>./build.sh bench '*ConvolutionBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class ConvolutionBenchmarks : ProviderSuite
{
    private Convolution _layer = null!;
    private Tensor _x = null!, _dy = null!;

    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = ConvLayerCase.SimpleConv.Name;

    public static IEnumerable<string> Layers => ConvLayerCase.Names;

    [GlobalSetup]
    public void Setup()
    {
        StartProvider();
        var c = ConvLayerCase.Parse(Layer);
        _layer = new Convolution(P, "conv", new TensorShape(c.Channels, c.Size, c.Size), c.Filters,
            Size2.Square(c.Kernel), Size2.Square(1), Size2.Square(c.Pad))
        {
            PropagatesGradient = c.InputGradient,
        };
        Fill(_layer.Weights.Value, 3, 0.1f);
        Fill(_layer.Bias.Value, 4, 0.1f);
        _x = Random(1, 1f, c.Batch, c.Channels, c.Size, c.Size);
        var g = c.Geometry;
        _dy = Random(2, 1f, c.Batch, c.Filters, g.OutputHeight, g.OutputWidth);
    }

    [Benchmark]
    public void Forward()
    {
        _layer.Forward(_x, training: true);
        P.Synchronize();
    }

    [Benchmark]
    public void ForwardBackward()
    {
        _layer.Forward(_x, training: true);
        _layer.Backward(_dy);
        P.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _layer?.Dispose();
        StopProvider();
    }
}
