using System.Text;
using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>One layer of a validated model: where it sits, what it takes and gives, how many parameters it has.</summary>
/// <param name="Index">Position among the network's top-level layers.</param>
/// <param name="Name">The layer's name.</param>
/// <param name="Type">Its model-file type.</param>
/// <param name="InputShape">One input sample's shape.</param>
/// <param name="OutputShape">One output sample's shape.</param>
/// <param name="ParameterCount">Trainable values, inner layers' included.</param>
public sealed record LayerSummary(int Index, string Name, string Type, TensorShape InputShape, TensorShape OutputShape, long ParameterCount);

/// <summary>A validated model: every layer's shapes and the parameter total.</summary>
public sealed class ModelSummary
{
    internal ModelSummary(IReadOnlyList<LayerPlan> plans)
        : this([.. plans.Select(p => new LayerSummary(p.Index, p.Name, p.Type, p.Input, p.Output, p.ParameterCount))])
    {
        Plans = plans;
    }

    /// <summary>The summary of layers built in code.</summary>
    internal ModelSummary(IReadOnlyList<Layer> layers)
        : this([.. layers.Select((l, i) => new LayerSummary(i, l.Name, l.Type, l.InputShape, l.OutputShape, l.Parameters.Sum(p => (long)p.Value.Length)))])
    {
    }

    private ModelSummary(LayerSummary[] layers)
    {
        Layers = layers;
        TotalParameters = layers.Sum(l => l.ParameterCount);
    }

    internal IReadOnlyList<LayerPlan> Plans { get; } = [];

    /// <summary>The top-level layers (a residual block or group is one row holding its inner layers' parameters).</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Trainable values in the whole model.</summary>
    public long TotalParameters { get; }

    /// <summary>One input sample's shape.</summary>
    public TensorShape InputShape => Layers[0].InputShape;

    /// <summary>One output sample's shape (the class scores).</summary>
    public TensorShape OutputShape => Layers[^1].OutputShape;

    /// <summary>A plain table: name, type, output shape, parameters.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"layer",-16} {"type",-14} {"output",-16} {"parameters",12}");
        sb.AppendLine($"{"input",-16} {"",-14} {InputShape,-16} {"",12}");
        foreach (var l in Layers)
            sb.AppendLine($"{l.Name,-16} {l.Type,-14} {l.OutputShape,-16} {l.ParameterCount,12:N0}");
        sb.Append($"{"total",-16} {"",-14} {"",-16} {TotalParameters,12:N0}");
        return sb.ToString();
    }
}
