using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The seed's Affine: y = x·W + b with W stored [in, out]. An input of any rank is read as
/// [N, in] (row-major NCHW flattens exactly as numpy's reshape(N, -1)), so no copy is needed.
/// Backward: dW = xᵀ·dy, db = Σ_rows dy, dx = dy·Wᵀ reshaped to the input's shape.
/// </summary>
public sealed class Affine : Layer
{
    private readonly int _in;
    private readonly int _out;
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;
    private Tensor? _x;

    /// <summary>A fully connected layer of <paramref name="units"/> outputs over the whole flattened sample.</summary>
    /// <param name="provider">Where W, b and the batch buffers are allocated.</param>
    /// <param name="name">Unique among its siblings, no '.'; the parameters become "name.W" and "name.b".</param>
    /// <param name="inputShape">One sample's shape, without the batch dimension: [D] or [C, H, W] (read as [C·H·W]).</param>
    /// <param name="units">Output features, 1 to <see cref="ModelLimits.MaxWidth"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    /// <exception cref="InvalidModelException"><paramref name="units"/> is out of range or W would exceed <see cref="ModelLimits.MaxTensorElements"/>.</exception>
    public Affine(IComputeProvider provider, string name, TensorShape inputShape, int units)
        : base(provider, name, inputShape)
    {
        OutputShape = ShapeRules.Named(name, () => OutputShapeFor(inputShape, units));
        _in = inputShape.Length;
        _out = units;
        Weights = AddParameter("W", new TensorShape(_in, _out), ParameterRole.Weight, fanIn: _in);
        Bias = AddParameter("b", new TensorShape(_out), ParameterRole.Bias, fanIn: _in);
        _y = PerSample(OutputShape);
        _dx = PerSample(inputShape);
    }

    /// <summary>The output shape [units] for an input of any shape; rejects sizes that cannot be allocated.</summary>
    public static TensorShape OutputShapeFor(TensorShape inputShape, int units)
    {
        if (units <= 0 || units > ModelLimits.MaxWidth)
            throw new InvalidModelException($"units must be between 1 and {ModelLimits.MaxWidth}, got {units}.");
        long weights = (long)inputShape.Length * units;
        if (weights > ModelLimits.MaxTensorElements)
            throw new InvalidModelException(
                $"a {inputShape.Length}→{units} weight matrix would hold {weights} values, more than the limit of {ModelLimits.MaxTensorElements}; reduce units or shrink the input first (pooling).");
        return new TensorShape(units);
    }

    /// <inheritdoc/>
    public override string Type => "affine";

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.Affine(_out) with { Name = Name, Init = Init };

    /// <summary>W [in, out].</summary>
    public Parameter Weights { get; }

    /// <summary>b [out].</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    protected override bool AcceptsAnyLayout => true;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, batch, _out, _in, 1f, x, Weights.Value, 0f, y);
        Provider.AddRowBias(y, Bias.Value);
        _x = x;
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        var x = _x!;
        Provider.Gemm(Transpose.Transpose, Transpose.NoTranspose, _in, _out, batch, 1f, x, dy, 0f, Weights.Gradient);
        Provider.SumRows(dy, Bias.Gradient);
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.Gemm(Transpose.NoTranspose, Transpose.Transpose, batch, _in, _out, 1f, dy, Weights.Value, 0f, dx);
        return dx;
    }
}
