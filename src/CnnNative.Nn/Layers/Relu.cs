using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>y = max(x, 0); backward passes dy where the output is positive (the seed's mask x ≤ 0 → 0).</summary>
public sealed class Relu : Layer
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>A ReLU for samples of <paramref name="inputShape"/> (any shape); output has the same shape.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    public Relu(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = inputShape;
        _y = PerSample(inputShape);
        _dx = PerSample(inputShape);
    }

    /// <inheritdoc/>
    public override string Type => "relu";

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.ReluForward(x, y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.ReluBackward(dy, _y.For(batch), dx);
        return dx;
    }
}
