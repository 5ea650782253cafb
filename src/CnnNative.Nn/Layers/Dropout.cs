using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The seed's (non-inverted) dropout: in training y = x ⊙ mask with mask = (u &gt; ratio);
/// at inference y = x·(1 − ratio). Masks come from the provider's counter-based generator,
/// keyed by <see cref="Seed"/> and a stream made of <see cref="Step"/> and <see cref="Index"/>,
/// so every provider draws the same masks and a resumed run repeats them exactly.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _mask;
    private readonly BatchTensor _dx;

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

    public override string Type => "dropout";

    /// <summary>Fraction of activations dropped in training.</summary>
    public float Ratio { get; }

    /// <summary>Random seed (the network's seed).</summary>
    public ulong Seed { get; set; }

    /// <summary>The training step whose mask to draw; a network sets it before each forward.</summary>
    public long Step { get; set; }

    /// <summary>This layer's position in its network, so two dropout layers draw different masks.</summary>
    public int Index { get; set; }

    /// <summary>The generator stream of one (step, layer): step in the high bits, the layer index in the low 16.</summary>
    public static ulong StreamFor(long step, int index) => unchecked(((ulong)step << 16) | (ushort)index);

    protected override Tensor ForwardCore(Tensor x, int batch, bool training)
    {
        var y = _y.For(batch);
        if (training) Provider.DropoutForward(x, Ratio, Seed, StreamFor(Step, Index), y, _mask.For(batch));
        else Provider.Scale(x, 1f - Ratio, y);
        return y;
    }

    protected override Tensor? BackwardCore(Tensor dy, int batch, bool training)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        if (training) Provider.Multiply(dy, _mask.For(batch), dx);
        else Provider.Scale(dy, 1f - Ratio, dx);
        return dx;
    }
}
