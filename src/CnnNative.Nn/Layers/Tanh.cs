using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>y = tanh(x); backward dx = dy·(1 − y²) from the cached output. In a model file: <c>{ "type": "tanh" }</c>.</summary>
public sealed class Tanh : Layer
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>A tanh layer for samples of shape <paramref name="inputShape"/>.</summary>
    public Tanh(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = inputShape;
        _y = PerSample(inputShape);
        _dx = PerSample(inputShape);
    }

    /// <inheritdoc/>
    public override string Type => LayerTypes.Tanh;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.TanhForward(x, y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.TanhBackward(dy, _y.For(batch), dx);
        return dx;
    }
}
