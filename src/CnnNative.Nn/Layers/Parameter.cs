using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>What a parameter is for; decides its initial value and whether weight decay applies.</summary>
public enum ParameterRole
{
    /// <summary>A weight matrix or filter bank: drawn by the weight initialiser; weight decay applies (as in the book, only to W).</summary>
    Weight,
    /// <summary>An additive bias: starts at 0.</summary>
    Bias,
    /// <summary>Batch-norm γ: starts at 1.</summary>
    Scale,
    /// <summary>Batch-norm β: starts at 0.</summary>
    Shift,
}

/// <summary>
/// A trainable tensor and its gradient, both on the layer's provider. The gradient is
/// overwritten (not accumulated) by each <see cref="Layer.Backward"/>.
/// </summary>
public sealed class Parameter
{
    internal Parameter(Layer owner, string localName, Tensor value, Tensor gradient, ParameterRole role, int fanIn)
    {
        Owner = owner;
        LocalName = localName;
        Value = value;
        Gradient = gradient;
        Role = role;
        FanIn = fanIn;
    }

    /// <summary>The layer's full <see cref="Layer.Path"/>, a dot, the parameter's own name: "conv1.W", "affine2.b", "stage1.block1.conv1.W".</summary>
    public string Name => Owner.Path + "." + LocalName;

    /// <summary>The parameter's name within its layer: "W", "b", "gamma".</summary>
    public string LocalName { get; }

    /// <summary>The layer that registered it (its <see cref="Layer.Init"/> decides the initial weights).</summary>
    public Layer Owner { get; }

    /// <summary>The current value, updated in place by optimizers.</summary>
    public Tensor Value { get; }

    /// <summary>dL/d(value) of the last backward.</summary>
    public Tensor Gradient { get; }

    /// <summary>What the parameter is for (initial value, weight decay).</summary>
    public ParameterRole Role { get; }

    /// <summary>Inputs that feed one output unit (C·KH·KW for a filter, the input width for Affine); Xavier and He scale by it.</summary>
    public int FanIn { get; }

    /// <summary>Weight decay applies to weights only, as in the book's MultiLayerNet.</summary>
    public bool Decays => Role == ParameterRole.Weight;

    /// <summary>The value's shape.</summary>
    public TensorShape Shape => Value.Shape;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Shape}";
}
