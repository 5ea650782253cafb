using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The seed's (non-inverted) dropout: in training y = x ⊙ mask with mask = (u &gt; ratio);
/// at inference y = x·(1 − ratio). Masks come from the provider's counter-based generator,
/// keyed by the step context's seed and the stream of (step, <see cref="Layer.Index"/>)
/// (<see cref="StepContext.StreamFor(Layer)"/>), so every provider draws the same masks and a
/// resumed run repeats them exactly.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _mask;
    private readonly BatchTensor _dx;

    /// <summary>A dropout layer dropping the fraction <paramref name="ratio"/> (in [0, 1)) in training.</summary>
    public Dropout(IComputeProvider provider, string name, TensorShape inputShape, float ratio)
        : base(provider, name, inputShape)
    {
        ShapeRules.Named(name, () => { CheckRatio(ratio); return 0; });
        Ratio = ratio;
        OutputShape = inputShape;
        _y = PerSample(inputShape);
        _mask = PerSample(inputShape);
        _dx = PerSample(inputShape);
    }

    /// <summary>Rejects ratios outside [0, 1).</summary>
    public static void CheckRatio(float ratio)
    {
        if (!(ratio >= 0f && ratio < 1f))
            throw new InvalidModelException($"the dropout ratio must be in [0, 1), got {ratio}.");
    }

    /// <inheritdoc/>
    public override string Type => LayerTypes.Dropout;

    /// <summary>Fraction of activations dropped in training.</summary>
    public float Ratio { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.Dropout(Ratio) with { Name = Name };

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        if (context.Training) Provider.DropoutForward(x, Ratio, context.Seed, context.StreamFor(this), y, _mask.For(batch));
        else Provider.Scale(x, 1f - Ratio, y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        if (context.Training) Provider.Multiply(dy, _mask.For(batch), dx);
        else Provider.Scale(dy, 1f - Ratio, dx);
        return dx;
    }
}
