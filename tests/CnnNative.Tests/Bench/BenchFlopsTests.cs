using CnnNative.Cli.Commands;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Bench;

/// <summary>
/// The multiply-adds `cnn bench` (and compare.py, for the PyTorch peer) turns images/s into
/// GFLOP/s by, counted by hand: a flat model, and a ResNet whose convolutions sit inside
/// stages and residual blocks (they must be counted too, shortcut projections included).
/// </summary>
public sealed class BenchFlopsTests : IDisposable
{
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    private static double Conv(int filters, int channels, int kernel, int outSide) => (double)filters * channels * kernel * kernel * outSide * outSide;

    private BenchFlops Of(string preset)
    {
        using var net = Network.Build(ModelPresets.Create(preset, 10), new TensorShape(1, 28, 28), 10, _p, seed: 1);
        return BenchFlops.Of(net);
    }

    [Fact]
    public void Simple_conv_counts_its_conv_and_both_affine_layers()
    {
        double first = Conv(30, 1, 5, 24), rest = 30 * 12 * 12 * 100 + 100 * 10;
        var flops = Of(ModelPresets.SimpleConv);
        Assert.Equal(2 * (first + rest), flops.Inference);
        Assert.Equal(2 * (2 * first + 3 * rest), flops.Training); // the first layer computes no input gradient
    }

    [Fact]
    public void Resnet_small_counts_the_convolutions_inside_its_blocks_and_shortcuts()
    {
        double stem = Conv(16, 1, 3, 28);
        double stage1 = 4 * Conv(16, 16, 3, 28);
        double stage2 = Conv(32, 16, 3, 14) + 3 * Conv(32, 32, 3, 14) + Conv(32, 16, 1, 14);
        double stage3 = Conv(64, 32, 3, 7) + 3 * Conv(64, 64, 3, 7) + Conv(64, 32, 1, 7);
        double rest = stage1 + stage2 + stage3 + 64 * 10;
        var flops = Of(ModelPresets.ResNetSmall);
        Assert.Equal(2 * (stem + rest), flops.Inference); // 20,183,936 multiply-adds
        Assert.Equal(2 * (2 * stem + 3 * rest), flops.Training);
    }
}
