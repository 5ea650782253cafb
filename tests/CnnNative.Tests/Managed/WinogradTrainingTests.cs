using CnnNative.Nn;
using CnnNative.Providers.Managed;
using CnnNative.Tests.OpenCl;
using Xunit.Abstractions;

namespace CnnNative.Tests.Managed;

/// <summary>
/// Winograd's rounding does not change what a network learns: a stack of 3×3 layers trained with
/// Winograd forced follows the im2col loss curve step by step within the tolerance the
/// cross-provider training tests use (1e-4 per step's loss; OpenClTrainingTests).
/// </summary>
public sealed class WinogradTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void A_3x3_stack_follows_the_im2col_loss_curve()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            output.WriteLine("no AVX-512 here: Winograd never runs, so the forced curve would be im2col's own");
            return;
        }
        const int batch = 16, steps = 40;
        const double tolerance = 1e-4;
        var spec = new ModelSpec
        {
            Name = "3x3-strokes",
            Init = WeightInit.He,
            Layers =
            [
                LayerSpec.Conv(16, 3, 1, 1), LayerSpec.Relu(), LayerSpec.MaxPool(2, 2),
                LayerSpec.Conv(32, 3, 1, 1), LayerSpec.BatchNorm(), LayerSpec.Relu(), LayerSpec.MaxPool(2, 2),
                LayerSpec.Conv(32, 3, 1, 1), LayerSpec.Relu(),
                LayerSpec.Affine(SyntheticStrokes.Classes),
            ],
        };
        List<double> Curve(ConvolutionAlgorithm algorithm)
        {
            using var p = new ManagedProvider(2) { ConvolutionAlgorithm = algorithm };
            return StrokeLossCurve.Measure(p, spec, batch, steps);
        }
        var im2col = Curve(ConvolutionAlgorithm.Im2Col);
        var winograd = Curve(ConvolutionAlgorithm.Winograd);
        double largest = 0;
        for (int s = 0; s < steps; s++)
        {
            double diff = Math.Abs(winograd[s] - im2col[s]);
            largest = Math.Max(largest, diff);
            Assert.True(diff <= tolerance, $"step {s}: Winograd loss {winograd[s]:R}, im2col {im2col[s]:R}");
        }
        output.WriteLine($"losses: im2col {im2col[0]:F4} → {im2col[^1]:F4}, Winograd {winograd[0]:F4} → {winograd[^1]:F4}; largest difference {largest:E2} ({largest / tolerance:P1} of the tolerance)");
        Assert.True(StrokeLossCurve.Mean(winograd, steps - 10, steps) < 0.6 * StrokeLossCurve.Mean(winograd, 0, 10), "the 3×3 stack did not learn the strokes with Winograd");
    }
}
