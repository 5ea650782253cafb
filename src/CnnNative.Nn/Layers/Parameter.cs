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
    internal Parameter(string name, Tensor value, Tensor gradient, ParameterRole role, int fanIn)
    {
        Name = name;
        Value = value;
        Gradient = gradient;
        Role = role;
        FanIn = fanIn;
    }

    /// <summary>Layer name, a dot, the parameter's own name: "conv1.W", "affine2.b", "batchnorm1.gamma".</summary>
    public string Name { get; }

    public Tensor Value { get; }

    public Tensor Gradient { get; }

    public ParameterRole Role { get; }

    /// <summary>Inputs that feed one output unit (C·KH·KW for a filter, the input width for Affine); Xavier and He scale by it.</summary>
    public int FanIn { get; }

    /// <summary>Weight decay applies to weights only, as in the book's MultiLayerNet.</summary>
    public bool Decays => Role == ParameterRole.Weight;

    public TensorShape Shape => Value.Shape;

    public override string ToString() => $"{Name} {Shape}";
}
