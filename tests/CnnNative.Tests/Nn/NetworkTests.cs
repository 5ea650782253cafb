using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;
using Xunit.Abstractions;

namespace CnnNative.Tests.Nn;

/// <summary>The sequential network on the reference provider: whole-network gradients, inference, accuracy, named access.</summary>
public sealed class NetworkTests(ITestOutputHelper output) : IDisposable
{
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    /// <summary>Every layer type in one small network: conv, batch-norm (both forms), ReLU, max/avg pooling, sigmoid, dropout, flatten, affine.</summary>
    internal static ModelSpec EveryLayerSpec() => new()
    {
        Name = "every-layer",
        Init = WeightInit.He,
        Layers =
        [
            LayerSpec.Conv(4, 3, pad: 1), LayerSpec.BatchNorm(), LayerSpec.Relu(),
            LayerSpec.MaxPool(2),
            new LayerSpec { Type = "conv", Name = "rect", Filters = 3, Kernel = new Size2(2, 3), Pad = new Size2(0, 1) },
            LayerSpec.AvgPool(2, stride: 1),
            LayerSpec.Sigmoid(), LayerSpec.Dropout(0.3f), LayerSpec.Flatten(),
            LayerSpec.Affine(5), LayerSpec.BatchNorm(), LayerSpec.Relu(),
            LayerSpec.Affine(3),
        ],
    };

    [Fact]
    public void Whole_network_gradient_matches_central_differences()
    {
        using var net = Network.Build(EveryLayerSpec(), new TensorShape(2, 6, 6), 3, _p, seed: 5);
        net.TrainingStep = 11;
        using var x = NnTestData.Random(_p, 1, 4, 2, 6, 6);
        using var labels = NnTestData.Labels(_p, 4, 3);
        var result = GradientCheck.Check(net, x, labels);
        output.WriteLine(result.ToString());
        Assert.Equal(net.Parameters.Count, result.Parameters.Count);
        Assert.True(result.MaxRelativeError < 1e-5, result.ToString());
        Assert.False(net.PropagatesToInput); // restored after the check
    }

    [Fact]
    public void Global_average_pooling_head_gradient()
    {
        var spec = new ModelSpec
        {
            Init = WeightInit.Xavier,
            Layers = [LayerSpec.Conv(3, 3, pad: 1), LayerSpec.Relu(), LayerSpec.GlobalAvgPool(), LayerSpec.Affine(2)],
        };
        using var net = Network.Build(spec, new TensorShape(1, 5, 5), 2, _p, seed: 1);
        using var x = NnTestData.Random(_p, 2, 3, 1, 5, 5);
        using var labels = NnTestData.Labels(_p, 3, 2);
        var result = GradientCheck.Check(net, x, labels);
        Assert.True(result.MaxRelativeError < 1e-5, result.ToString());
    }

    [Fact]
    public void Names_shapes_and_named_access()
    {
        using var net = Network.Build(EveryLayerSpec(), new TensorShape(2, 6, 6), 3, _p);
        Assert.Equal(
            ["conv1.W", "conv1.b", "batchnorm1.gamma", "batchnorm1.beta", "rect.W", "rect.b", "affine1.W", "affine1.b",
             "batchnorm2.gamma", "batchnorm2.beta", "affine2.W", "affine2.b"],
            net.Parameters.Select(p => p.Name));
        Assert.Equal(
            ["batchnorm1.running_mean", "batchnorm1.running_var", "batchnorm2.running_mean", "batchnorm2.running_var"],
            net.Buffers.Select(b => b.Name));
        Assert.Equal(16, net.NamedTensors().Count());
        Assert.Same(net.Parameters[4].Value, net.GetTensor("rect.W"));
        Assert.Equal(new TensorShape(3, 4, 2, 3), net.GetTensor("rect.W").Shape);
        Assert.Contains("conv1.W", Assert.Throws<KeyNotFoundException>(() => net.GetTensor("nope.W")).Message);
        Assert.Equal(new[] { 2, 6, 6 }, net.Spec.Input);
        Assert.Equal(3, net.Spec.Classes);
        Assert.Equal(3, net.Classes);

        var conv = net.FirstLayer<Convolution>()!;
        Assert.Equal("conv1", conv.Name);
        Assert.Null(conv.Output);
        using var x = NnTestData.Random(_p, 1, 2, 2, 6, 6);
        net.Predict(x);
        Assert.Equal(new TensorShape(2, 4, 6, 6), conv.Output!.Shape); // first feature maps for a report
    }

    [Fact]
    public void Accuracy_counts_top_scores_on_the_provider()
    {
        var spec = new ModelSpec { Layers = [LayerSpec.Affine(4)] };
        using var net = Network.Build(spec, new TensorShape(3), 4, _p, seed: 2);
        using var x = NnTestData.Random(_p, 3, 6, 3);
        var scores = NnTestData.Download(net.Predict(x));
        var predicted = new float[6];
        for (int n = 0; n < 6; n++)
        {
            int best = 0;
            for (int k = 1; k < 4; k++) if (scores[n * 4 + k] > scores[n * 4 + best]) best = k;
            predicted[n] = best;
        }
        // Four right, two wrong.
        var labels = (float[])predicted.Clone();
        labels[1] = (labels[1] + 1) % 4;
        labels[4] = (labels[4] + 2) % 4;
        using var t = _p.Allocate(new TensorShape(6));
        _p.Upload(labels, t);
        Assert.Equal(4.0 / 6, net.Accuracy(x, t), 12);
        net.CountCorrect(t); // accumulates
        Assert.Equal(8, net.ReadCorrect());
    }

    [Fact]
    public void A_smaller_last_batch_gives_the_same_per_sample_results()
    {
        using var net = Network.Build(EveryLayerSpec(), new TensorShape(2, 6, 6), 3, _p, seed: 9);
        using var big = NnTestData.Random(_p, 4, 5, 2, 6, 6);
        var all = NnTestData.Download(net.Predict(big));
        var firstTwo = NnTestData.Normal(5 * 72, 4).AsSpan(0, 2 * 72).ToArray();
        using var small = _p.Allocate(new TensorShape(2, 2, 6, 6));
        _p.Upload(firstTwo, small);
        var part = NnTestData.Download(net.Predict(small));
        Assert.Equal(all.AsSpan(0, 6).ToArray(), part);
        // And back to the big batch: buffers were kept, results unchanged.
        Assert.Equal(all, NnTestData.Download(net.Predict(big)));
    }

    [Fact]
    public void Dropout_masks_follow_the_training_step()
    {
        var spec = new ModelSpec { Layers = [LayerSpec.Dropout(0.5f), LayerSpec.Affine(2)] };
        using var net = Network.Build(spec, new TensorShape(40), 2, _p, seed: 3);
        using var x = NnTestData.Random(_p, 1, 2, 40);
        var dropout = (Dropout)net.Layers[0];
        net.TrainingStep = 4;
        var a = NnTestData.Download(net.Forward(x, true));
        var masked = NnTestData.Download(dropout.Output!);
        Assert.Equal(a, NnTestData.Download(net.Forward(x, true))); // same step, same mask
        net.TrainingStep = 5;
        Assert.NotEqual(masked, (NnTestData.Download(net.Forward(x, true)), NnTestData.Download(dropout.Output!)).Item2);
        // Inference scales by 1 − ratio instead of masking.
        net.Predict(x);
        var input = NnTestData.Download(x);
        var scaled = NnTestData.Download(dropout.Output!);
        for (int i = 0; i < input.Length; i++) Assert.Equal(input[i] * 0.5, scaled[i], 12);
        // Roughly half the activations survive in training (non-inverted: kept values unchanged).
        int kept = 0;
        for (int i = 0; i < masked.Length; i++) if (masked[i] != 0) { kept++; Assert.Equal(input[i], masked[i]); }
        Assert.InRange(kept, 25, 55);
    }

    [Fact]
    public void Same_seed_same_weights_different_seed_different_weights()
    {
        using var a = Network.Build(ModelPresets.Create("simple-conv"), new TensorShape(1, 28, 28), 10, _p, seed: 1);
        using var b = Network.Build(ModelPresets.Create("simple-conv"), new TensorShape(1, 28, 28), 10, _p, seed: 1);
        using var c = Network.Build(ModelPresets.Create("simple-conv"), new TensorShape(1, 28, 28), 10, _p, seed: 2);
        Assert.Equal(NnTestData.Download(a.GetTensor("conv1.W")), NnTestData.Download(b.GetTensor("conv1.W")));
        Assert.NotEqual(NnTestData.Download(a.GetTensor("conv1.W")), NnTestData.Download(c.GetTensor("conv1.W")));
        Assert.All(NnTestData.Download(a.GetTensor("conv1.b")), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Layer_errors_name_the_layer()
    {
        using var net = Network.Build(ModelPresets.Create("simple-conv"), new TensorShape(1, 28, 28), 10, _p);
        using var wrong = _p.Allocate(new TensorShape(2, 1, 27, 28));
        var e = Assert.Throws<TensorShapeException>(() => net.Predict(wrong));
        Assert.Contains("conv1", e.Message);
        Assert.Contains("[N, 1, 28, 28]", e.Message);
        var conv = net.Layers[0];
        Assert.Contains("Forward first", Assert.Throws<InvalidOperationException>(() => conv.Backward(wrong)).Message);
    }

    [Fact]
    public void Backward_is_allowed_once_per_forward()
    {
        using var conv = new Convolution(_p, "c", new TensorShape(1, 4, 4), 2, 3, 1, 0);
        using var x = NnTestData.Random(_p, 1, 1, 1, 4, 4);
        using var dy = NnTestData.Random(_p, 2, 1, 2, 2, 2);
        conv.Forward(x, true);
        conv.Backward(dy);
        Assert.Throws<InvalidOperationException>(() => conv.Backward(dy));
    }
}
