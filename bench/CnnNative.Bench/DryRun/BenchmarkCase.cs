using System.Reflection;

namespace CnnNative.Bench.DryRun;

/// <summary>One combination of a suite's parameters, as BenchmarkDotNet would run it: "ConvolutionBenchmarks(Provider=opencl, Layer=…)".</summary>
public sealed record BenchmarkCase(Type Suite, IReadOnlyList<KeyValuePair<PropertyInfo, object?>> Parameters)
{
    /// <summary>The value of the parameter called <paramref name="name"/>, or null when the suite has none.</summary>
    public object? Parameter(string name)
    {
        foreach (var (property, value) in Parameters)
            if (property.Name == name) return value;
        return null;
    }

    public override string ToString() =>
        Suite.Name + "(" + string.Join(", ", Parameters.Select(p => p.Key.Name + "=" + p.Value)) + ")";
}
