using System.Text;
using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>One layer of a validated model: where it sits, what it takes and gives, how many parameters it has.</summary>
public sealed record LayerSummary(int Index, string Name, string Type, TensorShape InputShape, TensorShape OutputShape, long ParameterCount);

/// <summary>A validated model: every layer's shapes and the parameter total.</summary>
public sealed class ModelSummary
{
    internal ModelSummary(IReadOnlyList<LayerPlan> plans)
    {
        Plans = plans;
        var layers = new LayerSummary[plans.Count];
        long total = 0;
        for (int i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            layers[i] = new LayerSummary(i, p.Name, p.Type, p.Input, p.Output, p.ParameterCount);
            total += p.ParameterCount;
        }
        Layers = layers;
        TotalParameters = total;
    }

    internal IReadOnlyList<LayerPlan> Plans { get; }

    public IReadOnlyList<LayerSummary> Layers { get; }

    public long TotalParameters { get; }

    public TensorShape InputShape => Layers[0].InputShape;

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
