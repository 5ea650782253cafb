using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Nn;

/// <summary>
/// Every layer, a whole network and a short training run on the provider under test, compared
/// with the same computation on the double-precision <see cref="ReferenceProvider"/> from
/// identical float inputs and weights. Written once; each provider binds it:
/// <code>
/// [ProviderUnderTest("managed")]
/// public sealed class ManagedLayerTests(ProviderFixture fixture) : ProviderLayerTests(fixture);
/// </code>
/// </summary>
public abstract partial class ProviderLayerTests : IClassFixture<ProviderFixture>
{
    protected ProviderLayerTests(ProviderFixture fixture)
    {
        ProviderName = ProviderUnderTestAttribute.Of(GetType());
        Provider = fixture.Provider(ProviderName);
        Oracle = fixture.Oracle;
    }

    protected string ProviderName { get; }

    protected IComputeProvider Provider { get; }

    protected ReferenceProvider Oracle { get; }

    private sealed record LayerCase(Func<IComputeProvider, Layer> Create, int[] Input);

    private static readonly Dictionary<string, LayerCase> Cases = new()
    {
        ["affine-4d"] = new(p => new Affine(p, "a", new TensorShape(3, 5, 5), 17), [7, 3, 5, 5]),
        ["relu"] = new(p => new Relu(p, "r", new TensorShape(4, 9)), [5, 4, 9]),
        ["sigmoid"] = new(p => new Sigmoid(p, "s", new TensorShape(33)), [6, 33]),
        ["tanh"] = new(p => new Tanh(p, "t", new TensorShape(3, 11)), [5, 3, 11]),
        ["leakyrelu"] = new(p => new LeakyRelu(p, "l", new TensorShape(4, 9), slope: 0.05f), [5, 4, 9]),
        ["dropout"] = new(p => new Dropout(p, "d", new TensorShape(5, 7), 0.35f) { Index = 4 }, [6, 5, 7]),
        ["batchnorm-channel"] = new(p => new BatchNormalization(p, "bn", new TensorShape(4, 5, 3)), [6, 4, 5, 3]),
        ["batchnorm-activation"] = new(p => new BatchNormalization(p, "bn", new TensorShape(19)), [8, 19]),
        ["batchnorm-forced"] = new(p => new BatchNormalization(p, "bn", new TensorShape(2, 3, 3), perActivation: true), [5, 2, 3, 3]),
        ["conv-5x5"] = new(p => new Convolution(p, "c", new TensorShape(1, 12, 12), 6, 5, 1, 0), [3, 1, 12, 12]),
        ["conv-rect-stride-pad"] = new(p => new Convolution(p, "c", new TensorShape(3, 9, 7), 5, new Size2(3, 2), new Size2(2, 1), new Size2(1, 2)), [2, 3, 9, 7]),
        ["conv-1x1"] = new(p => new Convolution(p, "c", new TensorShape(8, 4, 4), 3, 1, 1, 0), [3, 8, 4, 4]),
        ["maxpool-2x2"] = new(p => new MaxPooling(p, "m", new TensorShape(3, 8, 6), 2, 2), [4, 3, 8, 6]),
        ["maxpool-3x3-s2-pad"] = new(p => new MaxPooling(p, "m", new TensorShape(2, 7, 9), 3, 2, 1), [3, 2, 7, 9]),
        ["avgpool"] = new(p => new AveragePooling(p, "a", new TensorShape(2, 6, 7), new Size2(2, 3), new Size2(2, 2), new Size2(1, 1)), [3, 2, 6, 7]),
        ["globalavgpool"] = new(p => new GlobalAveragePooling(p, "g", new TensorShape(5, 4, 6)), [3, 5, 4, 6]),
        ["flatten"] = new(p => new Flatten(p, "f", new TensorShape(2, 3, 4)), [3, 2, 3, 4]),
        // Pre-activation bodies: a bias right before batch-norm has a zero gradient (rounding noise on float providers).
        ["residual-identity"] = new(p => new Residual("res",
        [
            new BatchNormalization(p, "bn", new TensorShape(3, 5, 5)), new Relu(p, "r", new TensorShape(3, 5, 5)),
            new Convolution(p, "c1", new TensorShape(3, 5, 5), 3, 3, 1, 1),
        ]), [4, 3, 5, 5]),
        ["residual-projection"] = new(p => new Residual("down",
            [new Convolution(p, "c1", new TensorShape(2, 7, 7), 4, 3, 2, 1), new Relu(p, "r", new TensorShape(4, 4, 4))],
            [new BatchNormalization(p, "proj_bn", new TensorShape(2, 7, 7)), new Convolution(p, "proj", new TensorShape(2, 7, 7), 4, 1, 2, 0)]),
            [3, 2, 7, 7]),
        ["sequential"] = new(p => new Sequential("group",
            [new Affine(p, "a", new TensorShape(2, 3, 3), 6), new Sigmoid(p, "s", new TensorShape(6)), new Dropout(p, "d", new TensorShape(6), 0.3f)]),
            [5, 2, 3, 3]),
    };

    public static TheoryData<string> LayerCaseNames => [.. Cases.Keys];

    [ProviderTheory]
    [MemberData(nameof(LayerCaseNames))]
    public void Layer_forward_and_backward_match_the_reference(string name)
    {
        var c = Cases[name];
        using var actual = c.Create(Provider);
        using var expected = c.Create(Oracle);
        var data = new TestData(TestData.Seed(name.Length, name[0], name[^1]));
        foreach (var (pa, pe) in actual.Parameters.Zip(expected.Parameters))
        {
            var values = data.Uniform(pa.Value.Length, -0.5f, 0.5f);
            if (pa.Role == ParameterRole.Scale) for (int i = 0; i < values.Length; i++) values[i] += 1f;
            Provider.Upload(values, pa.Value);
            Oracle.Upload(values, pe.Value);
        }
        var xValues = data.Uniform(new TensorShape(c.Input).Length);
        using var xa = Pair(xValues, c.Input, out var xe);
        using var _ = xe;

        // Training-mode forward and backward.
        var ya = actual.Forward(xa, training: true);
        var ye = expected.Forward(xe, training: true);
        Assert.Equal(ye.Shape, ya.Shape);
        Close(ye, ya, $"{name}: forward (training)");
        var dyValues = data.Uniform(ya.Length);
        using var dya = Pair(dyValues, [.. ya.Shape.Dimensions], out var dye);
        using var __ = dye;
        var dxa = actual.Backward(dya)!;
        var dxe = expected.Backward(dye)!;
        Assert.Equal(dxe.Shape, dxa.Shape);
        Close(dxe, dxa, $"{name}: dx");
        foreach (var (pa, pe) in actual.Parameters.Zip(expected.Parameters))
            Close(pe.Gradient, pa.Gradient, $"{name}: gradient of {pa.Name}");
        foreach (var (ba, be) in actual.Buffers.Zip(expected.Buffers))
            Close(be.Tensor, ba.Tensor, $"{name}: {ba.Name} after a training forward");

        // Inference-mode forward (running statistics, dropout scaling).
        Close(expected.Forward(xe, training: false), actual.Forward(xa, training: false), $"{name}: forward (inference)");
    }

    [ProviderFact]
    public void Network_loss_and_gradients_match_the_reference()
    {
        var input = new TensorShape(2, 6, 6);
        using var actual = Network.Build(NetworkTests.EveryLayerSpec(), input, 3, Provider, seed: 21);
        using var expected = Network.Build(NetworkTests.EveryLayerSpec(), input, 3, Oracle, seed: 21);
        foreach (var (ta, te) in actual.NamedTensors().Zip(expected.NamedTensors()))
            Close(te.Tensor, ta.Tensor, $"initial {ta.Name} (same seed must give the same weights)", exact: true);

        var data = new TestData(5);
        using var xa = Pair(data.Uniform(8 * 72), [8, 2, 6, 6], out var xe);
        using var ta2 = Pair(data.Labels(8, 3), [8], out var te2);
        using (xe)
        using (te2)
        {
            actual.Forward(xa, true);
            expected.Forward(xe, true);
            Close(expected.Loss(te2), actual.Loss(ta2), "loss");
            actual.Backward();
            expected.Backward();
            foreach (var (pa, pe) in actual.Parameters.Zip(expected.Parameters))
                Close(pe.Gradient, pa.Gradient, $"network gradient of {pa.Name}", minScale: 1e-2);
        }
    }

    [ProviderTheory]
    [InlineData("mse", 0f)]
    [InlineData("softmax-cross-entropy", 0.1f)]
    public void Losses_match_the_reference(string type, float smoothing)
    {
        var spec = new LossSpec { Type = type, LabelSmoothing = smoothing == 0 ? null : smoothing };
        using var actual = spec.Create();
        using var expected = spec.Create();
        actual.Bind(Provider, 7);
        expected.Bind(Oracle, 7);
        var data = new TestData(TestData.Seed(type.Length, 77));
        using var sa = Pair(data.Uniform(9 * 7, -3, 3), [9, 7], out var se);
        using var la = Pair(data.Labels(9, 7), [9], out var le);
        using (se)
        using (le)
        {
            Close(expected.Forward(se, le), actual.Forward(sa, la), $"{type} loss");
            Close(expected.Backward(), actual.Backward(), $"{type} dscores");
        }
    }

    /// <summary>
    /// Inference folds conv → batch-norm (→ ReLU) into one provider operation; the scores equal a
    /// layer-by-layer run (<see cref="Network.FusesInference"/> off) on the same provider, after
    /// training steps have moved the running statistics away from 0 and 1.
    /// </summary>
    [ProviderFact]
    public void Fused_inference_matches_layer_by_layer_inference()
    {
        var input = new TensorShape(3, 10, 10);
        var spec = new ModelSpec
        {
            Name = "conv-bn",
            Init = WeightInit.He,
            Layers =
            [
                LayerSpec.Conv(8, 3, 1, 1), LayerSpec.BatchNorm(), LayerSpec.Relu(),    // folded with its ReLU
                LayerSpec.Conv(6, 3, 1, 0), LayerSpec.BatchNorm(), LayerSpec.MaxPool(2, 2), LayerSpec.Relu(), // folded without
                LayerSpec.Affine(4),
            ],
        };
        using var net = Network.Build(spec, input, 4, Provider, seed: 5);
        var data = new TestData(9);
        using var x = Provider.Allocate(new TensorShape(6, 3, 10, 10));
        Provider.Upload(data.Uniform(6 * input.Length), x);
        for (int i = 0; i < 3; i++) net.Forward(x, training: true);
        var fused = new float[6 * 4];
        Provider.Download(net.Predict(x), fused);
        var conv = new float[6 * 8 * 10 * 10];
        Provider.Download(net.Layers[0].Output!, conv);
        Assert.True(conv.All(v => v >= 0), "fused: the first convolution's output already went through batch-norm and ReLU");
        net.FusesInference = false;
        var separate = new float[6 * 4];
        Provider.Download(net.Predict(x), separate);
        Provider.Download(net.Layers[0].Output!, conv);
        Assert.True(conv.Any(v => v < 0), "layer by layer: the convolution's own output has negative values");
        Compare.Close([.. separate.Select(v => (double)v)], fused, new Tolerance(1e-4, 1e-4), "fused against layer-by-layer inference scores");
    }

    /// <summary>
    /// Inference folds a residual block's sum and the ReLU after it into the body's last
    /// conv → batch-norm (<see cref="IComputeProvider.ConvolutionForwardBatchNorm"/> with a
    /// residual): resnet-small's scores equal the layer-by-layer run, identity and projection
    /// shortcuts alike, and the blocks' outputs have gone through the ReLU only when fused.
    /// </summary>
    [ProviderFact]
    public void Fused_residual_inference_matches_layer_by_layer_inference()
    {
        var input = new TensorShape(1, 12, 12);
        using var net = Network.Build(ModelPresets.Create(ModelPresets.ResNetSmall), input, 10, Provider, seed: 6);
        var data = new TestData(10);
        using var x = Provider.Allocate(new TensorShape(4, 1, 12, 12));
        Provider.Upload(data.Uniform(4 * input.Length), x);
        for (int i = 0; i < 3; i++) net.Forward(x, training: true);
        var blocks = net.AllLayers().OfType<Residual>().ToList();
        Assert.Contains(blocks, b => b.Shortcut.Count > 0);
        Assert.Contains(blocks, b => b.Shortcut.Count == 0);
        var fused = new float[4 * 10];
        Provider.Download(net.Predict(x), fused);
        Assert.All(blocks, b => Assert.True(Values(b.Output!).All(v => v >= 0), $"fused: block '{b.Name}' already went through the ReLU after it"));
        net.FusesInference = false;
        var separate = new float[4 * 10];
        Provider.Download(net.Predict(x), separate);
        Assert.Contains(blocks, b => Values(b.Output!).Any(v => v < 0));
        Compare.Close([.. separate.Select(v => (double)v)], fused, new Tolerance(1e-4, 1e-4), "fused residual against layer-by-layer inference scores");
    }

    private float[] Values(Tensor t)
    {
        var values = new float[t.Length];
        Provider.Download(t, values);
        return values;
    }

    [ProviderFact]
    public void ResNet_small_loss_and_gradients_match_the_reference()
    {
        var input = new TensorShape(1, 28, 28);
        var spec = ModelPresets.Create(ModelPresets.ResNetSmall);
        using var actual = Network.Build(spec, input, 10, Provider, seed: 8);
        using var expected = Network.Build(spec, input, 10, Oracle, seed: 8);
        var data = new TestData(8);
        using var xa = Pair(data.Uniform(2 * input.Length), [2, 1, 28, 28], out var xe);
        using var ta = Pair(data.Labels(2, 10), [2], out var te);
        using (xe)
        using (te)
        {
            actual.Forward(xa, true);
            expected.Forward(xe, true);
            Close(expected.Loss(te), actual.Loss(ta), "loss");
            actual.Backward();
            expected.Backward();
            foreach (var (pa, pe) in actual.Parameters.Zip(expected.Parameters))
                Close(pe.Gradient, pa.Gradient, $"resnet-small gradient of {pa.Name}", minScale: 1e-2);
            Close(expected.Predict(xe), actual.Predict(xa), "resnet-small inference scores");
        }
    }

    [ProviderFact]
    public void A_tiny_network_learns_and_its_loss_curve_follows_the_reference()
    {
        var spec = new ModelSpec
        {
            Init = WeightInit.He,
            Layers = [LayerSpec.Conv(4, 3, pad: 1), LayerSpec.Relu(), LayerSpec.MaxPool(2), LayerSpec.Affine(16), LayerSpec.Relu(), LayerSpec.Affine(3)],
        };
        var input = new TensorShape(1, SyntheticBars.Size, SyntheticBars.Size);
        var actual = Train(Provider);
        var expected = Train(Oracle);

        Assert.True(actual.Losses[0] > 0.9, $"the first loss should be near ln 3, got {actual.Losses[0]}");
        Assert.True(actual.Losses[^1] < 0.1, $"the loss should fall below 0.1, got {actual.Losses[^1]}");
        Assert.True(actual.Accuracy >= 0.95, $"training accuracy {actual.Accuracy}");
        for (int i = 0; i < actual.Losses.Length; i++)
            Assert.True(Math.Abs(actual.Losses[i] - expected.Losses[i]) <= 0.01 + 0.05 * expected.Losses[i],
                $"step {i}: loss {actual.Losses[i]} on {ProviderName} vs {expected.Losses[i]} on the reference");

        (float[] Losses, double Accuracy) Train(IComputeProvider provider)
        {
            using var net = Network.Build(spec, input, SyntheticBars.Classes, provider, seed: 3);
            using var optimizer = Optimizer.Create(OptimizerSettings.For("adam") with { LearningRate = 0.01f }, net.Parameters);
            var (x, t) = SyntheticBars.Batches(provider, 90, 30, seed: 1);
            try
            {
                var losses = new List<float>();
                for (int epoch = 0; epoch < 25; epoch++)
                    for (int b = 0; b < x.Length; b++)
                    {
                        net.TrainStep(x[b], t[b], optimizer);
                        losses.Add(net.ReadLoss());
                    }
                net.ResetCorrect();
                for (int b = 0; b < x.Length; b++)
                {
                    net.Predict(x[b]);
                    net.CountCorrect(t[b]);
                }
                return ([.. losses], net.ReadCorrect() / 90.0);
            }
            finally
            {
                foreach (var tensor in x.Concat(t)) tensor.Dispose();
            }
        }
    }

    [ProviderTheory]
    [InlineData("affine-4d")]
    [InlineData("conv-rect-stride-pad")]
    public void Gradient_check_works_in_single_precision(string name)
    {
        // Both layers are linear in their parameters and input, so central differences are
        // exact up to float rounding: a wrong backward shows as an O(1) relative error.
        using var layer = Cases[name].Create(Provider);
        var data = new TestData(TestData.Seed(name.Length));
        foreach (var p in layer.Parameters) Provider.Upload(data.Uniform(p.Value.Length), p.Value);
        using var x = Provider.Allocate(new TensorShape(Cases[name].Input));
        Provider.Upload(data.Uniform(x.Length), x);
        var result = GradientCheck.Check(layer, x, GradientCheckOptions.SinglePrecision with { MaxElementsPerTensor = 40 });
        Assert.True(result.MaxRelativeError < 1e-2, result.ToString());
        Assert.All(result.Parameters, e => Assert.Equal(Math.Min(40, layer.Parameters.First(p => p.Name == e.Name).Value.Length), e.Checked));
    }

    // ── helpers ─────────────────────────────────────────────────────────────────────────────

    /// <summary>The same float values on the provider (returned) and on the oracle (<paramref name="onOracle"/>).</summary>
    private Tensor Pair(float[] values, int[] dims, out Tensor onOracle)
    {
        var shape = new TensorShape(dims);
        var a = Provider.Allocate(shape);
        Provider.Upload(values, a);
        onOracle = Oracle.Allocate(shape);
        Oracle.Upload(values, onOracle);
        return a;
    }

    /// <summary>
    /// Compares with a bound relative to the tensor's largest value: float sums over the few
    /// hundred terms these cases reduce drift by well under 1e-4 of it, while a wrong index or
    /// a missing term is off by the order of the values themselves.
    /// </summary>
    /// <param name="minScale">Smallest scale: a gradient that is zero in exact arithmetic (a bias before batch norm) is float noise around it.</param>
    private static void Close(Tensor expected, Tensor actual, string what, bool exact = false, double minScale = 0)
    {
        var e = new double[expected.Length];
        expected.Provider.Download(expected, e);
        var a = new float[actual.Length];
        actual.Provider.Download(actual, a);
        double scale = minScale;
        foreach (double v in e) scale = Math.Max(scale, Math.Abs(v));
        Compare.Close(e, a, exact ? Tolerance.Exact : new Tolerance(1e-4 * scale + 1e-30, 1e-4), what);
    }
}
