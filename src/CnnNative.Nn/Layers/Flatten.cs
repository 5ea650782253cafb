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

    public Flatten(IComputeProvider provider, string name, TensorShape inputShape) : base(provider, name, inputShape)
    {
        OutputShape = new TensorShape(inputShape.Length);
    }

    public override string Type => "flatten";

    protected override bool AcceptsAnyLayout => true;

    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context) => _forward.Reshape(x, batch, OutputShape);

    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context) =>
        PropagatesGradient ? _backward.Reshape(dy, batch, InputShape) : null;
}
