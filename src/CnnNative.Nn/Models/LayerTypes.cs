namespace CnnNative.Nn;

/// <summary>The layer type names a model file may use, and the settings each takes.</summary>
public static class LayerTypes
{
    public const string Conv = "conv";
    public const string Affine = "affine";
    public const string Relu = "relu";
    public const string Sigmoid = "sigmoid";
    public const string Dropout = "dropout";
    public const string BatchNorm = "batchnorm";
    public const string MaxPool = "maxpool";
    public const string AvgPool = "avgpool";
    public const string GlobalAvgPool = "globalavgpool";
    public const string Flatten = "flatten";

    public static IReadOnlyList<string> All { get; } =
        [Conv, Affine, Relu, Sigmoid, Dropout, BatchNorm, MaxPool, AvgPool, GlobalAvgPool, Flatten];

    /// <summary>Settings (besides "type" and "name") each type accepts.</summary>
    public static IReadOnlyList<string> SettingsOf(string type) => type switch
    {
        Conv => ["filters", "kernel", "stride", "pad", "init"],
        Affine => ["units", "init"],
        Dropout => ["ratio"],
        BatchNorm => ["perActivation"],
        MaxPool or AvgPool => ["size", "stride", "pad"],
        _ => [],
    };

    /// <summary>The canonical type name for <paramref name="type"/> (case-insensitive), or null when unknown.</summary>
    public static string? Canonical(string? type)
    {
        if (type is null) return null;
        foreach (var t in All)
            if (t.Equals(type.Trim(), StringComparison.OrdinalIgnoreCase)) return t;
        return null;
    }
}
