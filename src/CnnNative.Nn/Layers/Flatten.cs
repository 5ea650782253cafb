using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// [N, C, H, W] → [N, C·H·W] without moving data: the output is a view of the input and the
/// input gradient a view of the output gradient (row-major flattening is numpy's reshape).
/// </summary>
public sealed class Flatten : Layer
{
    private readonly ReshapeCache _forward = new();
    private readonly ReshapeCache _backward = new();

    /// <summary>Flattens samples of <paramref name="inputShape"/> to [C·H·W]; allocates nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    public Flatten(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = new TensorShape(inputShape.Length);
    }

    /// <inheritdoc/>
    public override string Type => "flatten";

    /// <inheritdoc/>
    protected override bool AcceptsAnyLayout => true;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context) => _forward.Reshape(x, batch, OutputShape);

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context) =>
        PropagatesGradient ? _backward.Reshape(dy, batch, InputShape) : null;
}
