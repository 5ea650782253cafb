namespace CnnNative.Nn;

/// <summary>The built-in layer type names a model file may use, and the settings each takes (types registered in code: <see cref="LayerRegistry"/>).</summary>
public static class LayerTypes
{
    /// <summary>Convolution (<see cref="Convolution"/>).</summary>
    public const string Conv = "conv";
    /// <summary>Fully connected (<see cref="Nn.Affine"/>).</summary>
    public const string Affine = "affine";
    /// <summary>max(x, 0) (<see cref="Nn.Relu"/>).</summary>
    public const string Relu = "relu";
    /// <summary>The logistic function (<see cref="Nn.Sigmoid"/>).</summary>
    public const string Sigmoid = "sigmoid";
    /// <summary>The seed's dropout (<see cref="Nn.Dropout"/>).</summary>
    public const string Dropout = "dropout";
    /// <summary>Batch normalisation (<see cref="BatchNormalization"/>).</summary>
    public const string BatchNorm = "batchnorm";
    /// <summary>Max pooling (<see cref="MaxPooling"/>).</summary>
    public const string MaxPool = "maxpool";
    /// <summary>Average pooling (<see cref="AveragePooling"/>).</summary>
    public const string AvgPool = "avgpool";
    /// <summary>Each channel's mean (<see cref="GlobalAveragePooling"/>).</summary>
    public const string GlobalAvgPool = "globalavgpool";
    /// <summary>[C, H, W] → [C·H·W] (<see cref="Nn.Flatten"/>).</summary>
    public const string Flatten = "flatten";
    /// <summary>The hyperbolic tangent (<see cref="Nn.Tanh"/>).</summary>
    public const string Tanh = "tanh";
    /// <summary>x or slope·x (<see cref="Nn.LeakyRelu"/>).</summary>
    public const string LeakyRelu = "leakyrelu";
    /// <summary>body(x) + shortcut(x) (<see cref="Nn.Residual"/>).</summary>
    public const string Residual = "residual";
    /// <summary>A named group of layers (<see cref="Nn.Sequential"/>).</summary>
    public const string Sequential = "sequential";

    /// <summary>Every built-in type.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Conv, Affine, Relu, Sigmoid, Dropout, BatchNorm, MaxPool, AvgPool, GlobalAvgPool, Flatten, Tanh, LeakyRelu, Residual, Sequential];

    /// <summary>Settings (besides "type" and "name") each built-in type accepts.</summary>
    public static IReadOnlyList<string> SettingsOf(string type) => type switch
    {
        Conv => ["filters", "kernel", "stride", "pad", "init"],
        Affine => ["units", "init"],
        Dropout => ["ratio"],
        BatchNorm => ["perActivation"],
        MaxPool or AvgPool => ["size", "stride", "pad"],
        LeakyRelu => ["slope"],
        Residual => ["body", "shortcut"],
        Sequential => ["layers"],
        _ => [],
    };

    /// <summary>The canonical built-in type name for <paramref name="type"/> (case-insensitive), or null when it is not built in.</summary>
    public static string? Canonical(string? type)
    {
        if (type is null) return null;
        foreach (var t in All)
            if (t.Equals(type.Trim(), StringComparison.OrdinalIgnoreCase)) return t;
        return null;
    }
}
