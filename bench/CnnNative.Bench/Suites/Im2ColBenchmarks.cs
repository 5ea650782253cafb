using BenchmarkDotNet.Attributes;
using CnnNative.Core;

namespace CnnNative.Bench.Suites;

/// <summary>
/// im2col and its adjoint col2im alone, on the two convolution layers of
/// <see cref="ConvLayerCase"/> (SimpleConvNet's first layer at batch 100; a 64→64 3×3 layer at
/// batch 32). Run: <c>./build.sh bench '*Im2ColBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class Im2ColBenchmarks : ProviderSuite
{
    private Tensor _x = null!, _col = null!, _dx = null!;
    private ConvGeometry _g;

    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = ConvLayerCase.SimpleConv.Name;

    public static IEnumerable<string> Layers => ConvLayerCase.Names;

    [GlobalSetup]
    public void Setup()
    {
        StartProvider();
        _g = ConvLayerCase.Parse(Layer).Geometry;
        _x = Random(1, 1f, _g.Batch, _g.Channels, _g.Height, _g.Width);
        _col = Random(2, 1f, _g.ColumnRows, _g.PatchSize);
        _dx = Zeros(_g.Batch, _g.Channels, _g.Height, _g.Width);
    }

    [Benchmark]
    public void Im2Col()
    {
        P.Im2Col(_x, _g, _col);
        P.Synchronize();
    }

    [Benchmark]
    public void Col2Im()
    {
        P.Col2Im(_col, _g, _dx);
        P.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup() => StopProvider();
}
