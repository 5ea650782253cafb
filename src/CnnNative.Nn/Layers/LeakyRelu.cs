using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// y = x for x &gt; 0, slope·x otherwise; backward passes dy where the output is positive and
/// slope·dy elsewhere (x ≤ 0 takes the slope, as ReLU's mask takes 0 there). In a model file:
/// <c>{ "type": "leakyrelu", "slope": 0.01 }</c>.
/// </summary>
public sealed class LeakyRelu : Layer
{
    /// <summary>The slope when none is given (PyTorch's and Keras's default).</summary>
    public const float DefaultSlope = 0.01f;

    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>A leaky ReLU with <paramref name="slope"/> in [0, 1) for negative inputs.</summary>
    public LeakyRelu(IComputeProvider provider, string name, TensorShape inputShape, float slope = DefaultSlope)
        : base(provider, name, inputShape)
    {
        ShapeRules.Named(name, () => { CheckSlope(slope); return 0; });
        Slope = slope;
        OutputShape = inputShape;
        _y = PerSample(inputShape);
        _dx = PerSample(inputShape);
    }

    /// <summary>Rejects slopes outside [0, 1) (the backward tells the sides apart by the output's sign).</summary>
    public static void CheckSlope(float slope)
    {
        if (!(slope >= 0f && slope < 1f))
            throw new InvalidModelException($"the leaky ReLU slope must be in [0, 1), got {slope}.");
    }

    /// <inheritdoc/>
    public override string Type => LayerTypes.LeakyRelu;

    /// <summary>The factor for negative inputs.</summary>
    public float Slope { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.LeakyRelu(Slope) with { Name = Name };

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.LeakyReluForward(x, Slope, y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.LeakyReluBackward(dy, _y.For(batch), Slope, dx);
        return dx;
    }
}
