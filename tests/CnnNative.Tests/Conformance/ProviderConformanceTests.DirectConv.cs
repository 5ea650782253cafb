using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Convolution through the provider's own operations: forward, weight/bias gradient and input
// gradient on every geometry (providers choose an algorithm — direct, Winograd, im2col — for
// some and loop over the rest), against the oracle's direct sums.
public abstract partial class ProviderConformanceTests
{
    [ProviderTheory]
    [MemberData(nameof(Cases.ConvData), MemberType = typeof(Cases))]
    public void ConvolutionForward_ConvolutionWeightGradient_and_ConvolutionInputGradient_match_the_oracle(ConvCase c) =>
        CheckDirectConvolution(c.Geometry, filters: 9, [.. c.Numbers, 9]); // 9: a full block of 8 plus a short one

    [ProviderTheory]
    [InlineData(100, 1, 28, 28, 5, 0, 30)] // SimpleConvNet's first layer: past the parallel threshold, 24 outputs per row
    [InlineData(100, 1, 28, 28, 3, 1, 32)] // vgg-small's first layer: padded, 28 outputs per row (AVX-512: two 16-wide chunks)
    [InlineData(3, 1, 10, 30, 3, 1, 11)]    // AVX-512: 30 outputs per row in two overlapping 16-wide chunks; filters 8 + 3
    [InlineData(2, 3, 6, 62, 3, 0, 13)]     // AVX-512: 60 outputs per row, two passes of two 16-wide chunks
    [InlineData(3, 2, 12, 13, 3, 0, 4)]    // 11 outputs per row: the last 8-wide chunk overlaps the one before
    [InlineData(2, 3, 9, 16, 2, 0, 17)]    // rectangular image, 15 per row; filters 8 + 8 + 1
    [InlineData(2, 2, 7, 9, 3, 2, 5)]      // padding wider than the kernel's reach on the left: zero rows and columns
    [InlineData(1, 1, 8, 8, 1, 0, 1)]      // one filter, a 1×1 kernel, exactly one chunk
    public void Direct_convolution_vector_path_matches_the_oracle(int batch, int channels, int height, int width, int kernel, int pad, int filters) =>
        CheckDirectConvolution(ConvGeometry.Square(batch, channels, height, width, kernel, pad: pad), filters,
            [batch, channels, height, width, kernel, pad, filters]);

    [ProviderTheory]
    [MemberData(nameof(Cases.ConvData), MemberType = typeof(Cases))]
    public void ConvolutionForwardBatchNorm_matches_the_oracle(ConvCase c)
    {
        CheckFusedBatchNorm(c.Geometry, filters: 9, [.. c.Numbers, 9, 71]);
    }

    [ProviderTheory]
    [InlineData(2, 16, 12, 12, 1, 33)] // 3×3 stride 1: the managed provider's Winograd applies scale, shift and ReLU in its output pass
    [InlineData(3, 5, 7, 9, 0, 16)]    // odd sizes: partial tiles
    public void ConvolutionForwardBatchNorm_3x3_layers_match_the_oracle(int batch, int channels, int height, int width, int pad, int filters) =>
        CheckFusedBatchNorm(ConvGeometry.Square(batch, channels, height, width, 3, pad: pad), filters, [batch, channels, height, width, pad, filters, 72]);

    /// <summary>
    /// conv → batch-norm (running statistics) → residual → ReLU fused, with and without the residual
    /// and the ReLU, against the oracle's separate operations. The tolerance is the convolution's sum scaled by the
    /// largest batch-norm factor γ/√(σ² + ε) (below 2.2 with the drawn γ and σ²), plus the shift's rounding.
    /// </summary>
    private void CheckFusedBatchNorm(ConvGeometry g, int filters, int[] seed)
    {
        foreach (bool relu in new[] { false, true })
        foreach (bool withResidual in new[] { false, true })
        {
            using var h = Harness([.. seed, relu ? 1 : 0, withResidual ? 1 : 0]);
            var x = h.Input(new TensorShape(g.Batch, g.Channels, g.Height, g.Width), h.Data.Uniform(g.InputLength));
            var w = h.Input(new TensorShape(filters, g.Channels, g.KernelHeight, g.KernelWidth), h.Data.Uniform(filters * g.PatchSize));
            var b = h.Input(filters, h.Data.Uniform(filters));
            var gamma = h.Input(filters, h.Data.Uniform(filters, 0.5f, 1.5f));
            var beta = h.Input(filters, h.Data.Uniform(filters));
            var mean = h.Input(filters, h.Data.Uniform(filters, -0.5f, 0.5f));
            var variance = h.Input(filters, h.Data.Uniform(filters, 0.5f, 2f));
            var yShape = new TensorShape(g.Batch, filters, g.OutputHeight, g.OutputWidth);
            var residual = withResidual ? h.Input(yShape, h.Data.Uniform(yShape.Length)) : null;
            var y = h.Output(yShape, Prefill.NaN);
            string what = $"ConvolutionForwardBatchNorm {g} F={filters}{(withResidual ? " + residual" : "")}{(relu ? " + ReLU" : "")}";
            h.Run((p, t) => p.ConvolutionForwardBatchNorm(t(x), g, t(w), t(b), t(gamma), t(beta), t(mean), t(variance), BnEpsilon, relu, t(y),
                residual is null ? null : t(residual)), what);
            h.Check(y, Tolerance.Sum(g.PatchSize + 5, 1).Times(2.2), what);
        }
    }

    private void CheckDirectConvolution(ConvGeometry g, int filters, int[] seed)
    {
        using var h = Harness(seed);
        var xShape = new TensorShape(g.Batch, g.Channels, g.Height, g.Width);
        var yShape = new TensorShape(g.Batch, filters, g.OutputHeight, g.OutputWidth);
        var x = h.Input(xShape, h.Data.Uniform(g.InputLength));
        var w = h.Input(new TensorShape(filters, g.Channels, g.KernelHeight, g.KernelWidth), h.Data.Uniform(filters * g.PatchSize));
        var b = h.Input(filters, h.Data.Uniform(filters));
        var y = h.Output(yShape, Prefill.NaN);
        h.Run((p, t) => p.ConvolutionForward(t(x), g, t(w), t(b), t(y)), $"ConvolutionForward {g} F={filters}");
        h.Check(y, Tolerance.Sum(g.PatchSize + 1, 1), $"ConvolutionForward {g} F={filters}");

        var dy = h.Input(yShape, h.Data.Uniform(yShape.Length));
        var dw = h.Output(new TensorShape(filters, g.Channels, g.KernelHeight, g.KernelWidth), Prefill.NaN);
        var db = h.Output(filters, Prefill.NaN);
        h.Run((p, t) => p.ConvolutionWeightGradient(t(dy), t(x), g, t(dw), t(db)), $"ConvolutionWeightGradient {g} F={filters}");
        int terms = g.Batch * g.OutputHeight * g.OutputWidth;
        h.Check(dw, Tolerance.Sum(terms, 1), $"ConvolutionWeightGradient {g} F={filters} (weights)");
        h.Check(db, Tolerance.Sum(terms, 1), $"ConvolutionWeightGradient {g} F={filters} (bias)");

        var dx = h.Output(xShape, Prefill.NaN);
        h.Run((p, t) => p.ConvolutionInputGradient(t(dy), g, t(w), filters, t(dx)), $"ConvolutionInputGradient {g} F={filters}");
        h.Check(dx, Tolerance.Sum(filters * g.KernelHeight * g.KernelWidth, 1), $"ConvolutionInputGradient {g} F={filters}");
    }
}
