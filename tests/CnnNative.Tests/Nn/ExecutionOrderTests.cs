using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Providers.Managed;

namespace CnnNative.Tests.Nn;

/// <summary>The network runs ReLU → max-pool as max-pool → ReLU; these pin that the swap changes nothing but the work.</summary>
public sealed class ExecutionOrderTests : IDisposable
{
    private readonly ManagedProvider _p = new(1);

    public void Dispose() => _p.Dispose();

    [Fact]
    public void Relu_before_an_unpadded_max_pool_runs_after_it()
    {
        using var net = Network.Build(ModelPresets.Create(ModelPresets.SimpleConv), new TensorShape(1, 28, 28), 10, _p);
        Assert.Equal(["conv1", "maxpool1", "relu1", "affine1", "relu2", "affine2"], net.Layers.Select(l => l.Name));
        Assert.Equal(new TensorShape(30, 12, 12), net.Layers[2].InputShape);
        Assert.Equal(["conv1", "relu1", "maxpool1", "affine1", "relu2", "affine2"], net.Summary.Layers.Select(l => l.Name)); // the model as written
    }

    [Fact]
    public void A_padded_max_pool_keeps_the_written_order()
    {
        var spec = new ModelSpec { Layers = [LayerSpec.Relu(), LayerSpec.MaxPool(3, stride: 2, pad: 1), LayerSpec.Flatten(), LayerSpec.Affine(2)] };
        using var net = Network.Build(spec, new TensorShape(1, 6, 6), 2, _p);
        Assert.Equal(["relu", "maxpool"], net.Layers.Take(2).Select(l => l.Type));
    }

    /// <summary>
    /// Bit for bit, forward and backward, on values full of ties, zeros and negatives (whole
    /// windows ≤ 0, windows whose maximum is 0, repeated positive maxima).
    /// </summary>
    [Fact]
    public void Swapped_pair_gives_bitwise_identical_outputs_and_gradients()
    {
        var shape = new TensorShape(3, 8, 6);
        int batch = 5, length = batch * shape.Length;
        var random = new Random(7);
        var xv = new float[length];
        for (int i = 0; i < length; i++) xv[i] = random.Next(-3, 3) * 0.5f; // -1.5 … 1: many ties and zeros
        using var x = _p.Allocate(new TensorShape(batch, 3, 8, 6));
        _p.Upload(xv, x);

        using var relu1 = new Relu(_p, "r", shape);
        using var pool1 = new MaxPooling(_p, "m", shape, 2, 2);
        using var pool2 = new MaxPooling(_p, "m", shape, 2, 2);
        using var relu2 = new Relu(_p, "r", pool2.OutputShape);

        var written = pool1.Forward(relu1.Forward(x, true), true);
        var swapped = relu2.Forward(pool2.Forward(x, true), true);
        Assert.Equal(Download(written), Download(swapped));

        var dyv = new float[written.Length];
        for (int i = 0; i < dyv.Length; i++) dyv[i] = (float)random.NextDouble() - 0.5f;
        using var dy = _p.Allocate(written.Shape);
        _p.Upload(dyv, dy);
        var dxWritten = relu1.Backward(pool1.Backward(dy)!)!;
        var dxSwapped = pool2.Backward(relu2.Backward(dy)!)!;
        Assert.Equal(Download(dxWritten), Download(dxSwapped));
    }

    private float[] Download(Tensor t)
    {
        var values = new float[t.Length];
        _p.Download(t, values);
        return values;
    }
}
