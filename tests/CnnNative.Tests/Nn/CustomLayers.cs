using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Tests.Nn;

/// <summary>
/// y = x·σ(x), written as a user would: only provider operations, batch buffers from the base
/// class. dx = dy·σ + x·dy·σ(1 − σ).
/// </summary>
internal sealed class Swish : Layer
{
    private readonly BatchTensor _sigmoid;
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;
    private readonly BatchTensor _scratch;
    private Tensor? _x;

    public Swish(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = inputShape;
        _sigmoid = PerSample(inputShape);
        _y = PerSample(inputShape);
        _dx = PerSample(inputShape);
        _scratch = PerSample(inputShape);
    }

    public override string Type => "swish";

    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var s = _sigmoid.For(batch);
        var y = _y.For(batch);
        Provider.SigmoidForward(x, s);
        Provider.Multiply(x, s, y);
        _x = x;
        return y;
    }

    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var s = _sigmoid.For(batch);
        var dx = _dx.For(batch);
        var t = _scratch.For(batch);
        Provider.SigmoidBackward(dy, s, t);   // dy·σ(1 − σ)
        Provider.Multiply(t, _x!, t);         // · x
        Provider.Multiply(dy, s, dx);         // dy·σ
        Provider.Add(dx, t, dx);
        return dx;
    }
}

/// <summary>y = x + shift, with a learned per-feature shift registered as a weight (so the initialiser draws it).</summary>
internal sealed class LearnedShift : Layer
{
    private readonly BatchTensor _y;

    public LearnedShift(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = inputShape;
        Shift = AddParameter("shift", new TensorShape(inputShape.Length), ParameterRole.Weight, fanIn: 1);
        _y = PerSample(inputShape);
    }

    public override string Type => "shift";

    public Parameter Shift { get; }

    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.Copy(x, y);
        Provider.AddRowBias(y, Shift.Value);
        return y;
    }

    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        Provider.SumRows(dy, Shift.Gradient);
        return PropagatesGradient ? dy : null;
    }
}
