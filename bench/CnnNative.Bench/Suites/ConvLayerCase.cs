using CnnNative.Core;

namespace CnnNative.Bench.Suites;

/// <summary>
/// A convolution layer the benchmarks time: input [N, C, H, W], F filters of K×K, padding,
/// stride 1, and whether backward computes dL/dx (a network's first layer does not).
/// </summary>
public sealed record ConvLayerCase(string Name, int Batch, int Channels, int Size, int Filters, int Kernel, int Pad, bool InputGradient)
{
    /// <summary>SimpleConvNet's convolution: 1→30 5×5 on 28×28 at batch 100; the first layer, so backward is the weight gradient only.</summary>
    public static readonly ConvLayerCase SimpleConv = new("1-30 5x5 28x28 b100", 100, 1, 28, 30, 5, 0, InputGradient: false);

    /// <summary>A VGG-style inner layer: 64→64 3×3 pad 1 on 32×32 at batch 32, with dL/dx (the name is short: BenchmarkDotNet cuts parameter values at 20 characters).</summary>
    public static readonly ConvLayerCase Vgg64 = new("64-64 3x3 32x32 b32", 32, 64, 32, 64, 3, 1, InputGradient: true);

    /// <summary>two-conv-bn's second layer (bench/peers/two-conv-bn.json): 32→64 3×3 pad 1 on 14×14 at batch 100, with dL/dx.</summary>
    public static readonly ConvLayerCase TwoConvBn = new("32-64 3x3 14x14 b100", 100, 32, 14, 64, 3, 1, InputGradient: true);

    /// <summary>two-conv-bn's first layer (bench/peers/two-conv-bn.json): 1→32 3×3 pad 1 on 28×28 at batch 100; no dL/dx.</summary>
    public static readonly ConvLayerCase TwoConvBnFirst = new("1-32 3x3 28x28 b100", 100, 1, 28, 32, 3, 1, InputGradient: false);

    public static IReadOnlyList<ConvLayerCase> All { get; } = [SimpleConv, TwoConvBnFirst, Vgg64, TwoConvBn];

    public static IEnumerable<string> Names => All.Select(c => c.Name);

    public static ConvLayerCase Parse(string name) =>
        All.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"Unknown convolution case '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));

    public ConvGeometry Geometry => ConvGeometry.Square(Batch, Channels, Size, Size, Kernel, 1, Pad);

    public override string ToString() => Name;
}
