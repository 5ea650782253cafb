using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>y = 1 / (1 + e^−x); backward dx = dy·(1 − y)·y from the cached output, as the seed.</summary>
public sealed class Sigmoid : Layer
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>A logistic sigmoid for samples of <paramref name="inputShape"/> (any shape); output has the same shape.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    public Sigmoid(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = inputShape;
        _y = PerSample(inputShape);
        _dx = PerSample(inputShape);
    }

    /// <inheritdoc/>
    public override string Type => "sigmoid";

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.SigmoidForward(x, y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.SigmoidBackward(dy, _y.For(batch), dx);
        return dx;
    }
}
