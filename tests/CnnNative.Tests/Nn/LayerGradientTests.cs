using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;
using Xunit.Abstractions;

namespace CnnNative.Tests.Nn;

/// <summary>
/// Every layer's backward against central differences on the double-precision reference
/// provider: parameters and input gradient must agree to a relative error below 1e-5.
/// </summary>
public sealed class LayerGradientTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    private GradientCheckResult CheckLayer(Layer layer, params int[] inputDims) => CheckLayer(layer, null, inputDims);

    private GradientCheckResult CheckLayer(Layer layer, GradientCheckOptions? options, params int[] inputDims)
    {
        NnTestData.Randomize(layer, 10);
        using var x = NnTestData.Random(_p, 1, inputDims);
        var result = GradientCheck.Check(layer, x, options);
        output.WriteLine(result.ToString());
        Assert.True(result.MaxRelativeError < Tolerance, $"{layer}:\n{result}");
        Assert.NotNull(result.Input);
        Assert.True(result.Input!.Checked == x.Length);
        return result;
    }

    [Fact]
    public void Affine_flattens_any_rank_input()
    {
        using var layer = new Affine(_p, "affine1", new TensorShape(2, 3, 3), units: 4);
        var r = CheckLayer(layer, 3, 2, 3, 3);
        Assert.Equal(["affine1.W", "affine1.b"], r.Parameters.Select(e => e.Name));
    }

    [Fact]
    public void Affine_on_flat_input() { using var l = new Affine(_p, "a", new TensorShape(7), 5); CheckLayer(l, 4, 7); }

    [Fact]
    public void Relu() { using var l = new Relu(_p, "r", new TensorShape(3, 4)); CheckLayer(l, 2, 3, 4); }

    [Fact]
    public void Tanh() { using var l = new Tanh(_p, "t", new TensorShape(2, 5)); CheckLayer(l, 3, 2, 5); }

    [Fact]
    public void LeakyRelu() { using var l = new LeakyRelu(_p, "l", new TensorShape(11), slope: 0.2f); CheckLayer(l, 4, 11); }

    [Fact]
    public void Sigmoid() { using var l = new Sigmoid(_p, "s", new TensorShape(9)); CheckLayer(l, 3, 9); }

    [Fact]
    public void Dropout_in_training_mode()
    {
        using var l = new Dropout(_p, "d", new TensorShape(2, 5), 0.4f) { Index = 2 };
        CheckLayer(l, new GradientCheckOptions { Context = StepContext.Train(step: 7, seed: 3) }, 4, 2, 5);
    }

    [Fact]
    public void BatchNorm_per_channel_on_images()
    {
        using var l = new BatchNormalization(_p, "bn", new TensorShape(3, 3, 2));
        Assert.False(l.PerActivation);
        Assert.Equal(3, l.Gamma.Value.Length);
        CheckLayer(l, 4, 3, 3, 2);
    }

    [Fact]
    public void BatchNorm_per_activation_on_vectors()
    {
        using var l = new BatchNormalization(_p, "bn", new TensorShape(6));
        Assert.True(l.PerActivation);
        CheckLayer(l, 5, 6);
    }

    [Fact]
    public void BatchNorm_forced_per_activation_on_images()
    {
        using var l = new BatchNormalization(_p, "bn", new TensorShape(2, 2, 3), perActivation: true);
        Assert.Equal(12, l.Gamma.Value.Length);
        CheckLayer(l, 4, 2, 2, 3);
    }

    [Fact]
    public void Convolution_stride_1_no_padding()
    {
        using var l = new Convolution(_p, "conv1", new TensorShape(2, 5, 5), 3, kernel: 3, stride: 1, pad: 0);
        var r = CheckLayer(l, 2, 2, 5, 5);
        Assert.Equal(new TensorShape(3, 3, 3), l.OutputShape);
        Assert.Equal(["conv1.W", "conv1.b"], r.Parameters.Select(e => e.Name));
    }

    [Fact]
    public void Convolution_rectangular_kernel_stride_and_padding()
    {
        using var l = new Convolution(_p, "c", new TensorShape(3, 7, 6), 4, kernel: new Size2(3, 2), stride: new Size2(2, 1), pad: new Size2(1, 2));
        Assert.Equal(new TensorShape(4, 4, 9), l.OutputShape); // (7+2−3)/2+1 = 4, (6+4−2)/1+1 = 9
        CheckLayer(l, 2, 3, 7, 6);
    }

    [Fact]
    public void MaxPooling_2x2_stride_2()
    {
        using var l = new MaxPooling(_p, "m", new TensorShape(2, 6, 6), 2, 2);
        CheckLayer(l, 2, 2, 6, 6);
    }

    [Fact]
    public void MaxPooling_overlapping_windows_with_padding()
    {
        using var l = new MaxPooling(_p, "m", new TensorShape(2, 7, 5), 3, 2, pad: 1);
        Assert.Equal(new TensorShape(2, 4, 3), l.OutputShape);
        CheckLayer(l, 2, 2, 7, 5);
    }

    [Fact]
    public void AveragePooling_rectangular_with_padding()
    {
        using var l = new AveragePooling(_p, "a", new TensorShape(2, 5, 6), new Size2(3, 2), new Size2(2, 1), new Size2(1, 1));
        CheckLayer(l, 3, 2, 5, 6);
    }

    [Fact]
    public void GlobalAveragePooling()
    {
        using var l = new GlobalAveragePooling(_p, "g", new TensorShape(3, 4, 5));
        Assert.Equal(new TensorShape(3), l.OutputShape);
        CheckLayer(l, 2, 3, 4, 5);
    }

    [Fact]
    public void Flatten()
    {
        using var l = new Flatten(_p, "f", new TensorShape(2, 3, 2));
        CheckLayer(l, 3, 2, 3, 2);
    }

    [Fact]
    public void A_broken_gradient_is_detected()
    {
        // The check must be able to fail: scale W's gradient after backward by feeding a wrong dy.
        using var layer = new Affine(_p, "a", new TensorShape(4), 3);
        NnTestData.Randomize(layer, 3);
        using var x = NnTestData.Random(_p, 5, 2, 4);
        using var bad = new ScaledGradientLayer(_p, layer);
        var result = GradientCheck.Check(bad, x);
        output.WriteLine(result.ToString());
        Assert.True(result.MaxRelativeError > 0.1, result.ToString());
    }

    /// <summary>Wraps a layer and doubles the input gradient it reports: a deliberately wrong backward.</summary>
    private sealed class ScaledGradientLayer : Layer
    {
        private readonly Layer _inner;
        private readonly Tensor _dy2;

        public ScaledGradientLayer(IComputeProvider provider, Layer inner) : base(provider, "bad", inner.InputShape)
        {
            _inner = inner;
            OutputShape = inner.OutputShape;
            _dy2 = provider.Allocate(new TensorShape(2, 3));
        }

        public override string Type => "bad";

        protected override Tensor ForwardCore(Tensor x, int batch, StepContext context) => _inner.Forward(x, context);

        protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
        {
            Provider.Scale(dy, 2f, _dy2);
            return _inner.Backward(_dy2);
        }
    }
}
