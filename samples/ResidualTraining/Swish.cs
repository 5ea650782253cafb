using CnnNative.Core;
using CnnNative.Nn;

/// <summary>
/// A user-defined activation, y = x·σ(x), on the same footing as the built-in layers: it asks the
/// base class for its per-batch buffers and computes only with provider operations, so it runs
/// on every provider. dL/dx = dy·σ + x·dy·σ(1 − σ).
/// </summary>
sealed class Swish : Layer
{
    private readonly BatchTensor _sigmoid, _y, _dx, _scratch;
    private Tensor? _x;

    public Swish(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = inputShape;
        (_sigmoid, _y, _dx, _scratch) = (PerSample(inputShape), PerSample(inputShape), PerSample(inputShape), PerSample(inputShape));
    }

    public override string Type => "swish";

    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        Tensor s = _sigmoid.For(batch), y = _y.For(batch);
        Provider.SigmoidForward(x, s);
        Provider.Multiply(x, s, y);
        _x = x;
        return y;
    }

    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        Tensor s = _sigmoid.For(batch), dx = _dx.For(batch), t = _scratch.For(batch);
        Provider.SigmoidBackward(dy, s, t);   // dy·σ(1 − σ)
        Provider.Multiply(t, _x!, t);         // · x
        Provider.Multiply(dy, s, dx);         // dy·σ
        Provider.Add(dx, t, dx);
        return dx;
    }
}
