using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnNative.Nn;

/// <summary>
/// One layer of a model file: its <see cref="Type"/> and the settings that type takes.
/// Settings left out take their defaults; a setting the type does not take is an error
/// (so a typo cannot be silently ignored).
/// <code>
/// { "type": "conv", "filters": 30, "kernel": 5, "stride": 1, "pad": 0 }
/// { "type": "maxpool", "size": 2, "stride": 2 }
/// { "type": "affine", "units": 100, "init": "he" }
/// { "type": "dropout", "ratio": 0.5 }
/// { "type": "batchnorm", "perActivation": false }
/// { "type": "leakyrelu", "slope": 0.01 }
/// { "type": "residual", "body": [ … ], "shortcut": [ … ] }
/// { "type": "sequential", "name": "stage1", "layers": [ … ] }
/// { "type": "my-layer", "alpha": 2 }      (a type registered in a LayerRegistry; its settings in Settings)
/// </code>
/// </summary>
public sealed record LayerSpec
{
    /// <summary>One of <see cref="LayerTypes.All"/>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Optional unique name (letters, digits, '_' and '-'); default type + running number ("conv1").</summary>
    public string? Name { get; init; }

    /// <summary>conv: number of filters (output channels).</summary>
    public int? Filters { get; init; }

    /// <summary>affine: number of outputs.</summary>
    public int? Units { get; init; }

    /// <summary>conv: kernel size, a number or [height, width].</summary>
    public Size2? Kernel { get; init; }

    /// <summary>maxpool/avgpool: window size, a number or [height, width].</summary>
    public Size2? Size { get; init; }

    /// <summary>conv (default 1), maxpool/avgpool (default: the window size).</summary>
    public Size2? Stride { get; init; }

    /// <summary>conv, maxpool/avgpool: zero padding (default 0).</summary>
    public Size2? Pad { get; init; }

    /// <summary>dropout: fraction dropped in training (default 0.5).</summary>
    public float? Ratio { get; init; }

    /// <summary>batchnorm: true normalises each activation separately even after a convolution (the seed's form); default false = per channel.</summary>
    public bool? PerActivation { get; init; }

    /// <summary>conv, affine: weight initialisation overriding the model's ("he", "xavier" or a standard deviation).</summary>
    public WeightInit? Init { get; init; }

    /// <summary>leakyrelu: the slope for negative inputs, in [0, 1) (default 0.01).</summary>
    public float? Slope { get; init; }

    /// <summary>residual: the main path (required).</summary>
    public IReadOnlyList<LayerSpec>? Body { get; init; }

    /// <summary>residual: the projection path (optional; the identity when absent).</summary>
    public IReadOnlyList<LayerSpec>? Shortcut { get; init; }

    /// <summary>sequential: the grouped layers.</summary>
    public IReadOnlyList<LayerSpec>? Layers { get; init; }

    /// <summary>Settings of a layer type registered in code (any JSON value); built-in types take none.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Settings { get; init; }

    /// <summary>A registered type's setting <paramref name="name"/> as a number, or <paramref name="fallback"/> when absent.</summary>
    public double GetNumber(string name, double fallback)
    {
        if (Settings is null || !Settings.TryGetValue(name, out var value)) return fallback;
        if (value.ValueKind != JsonValueKind.Number)
            throw new InvalidModelException($"the setting \"{name}\" must be a number, got {value.GetRawText()}.");
        return value.GetDouble();
    }

    // ── shorthand constructors used by the presets ──────────────────────────────────────────

    /// <summary>A convolution of <paramref name="filters"/> channels; stride 1 and padding 0 when not given.</summary>
    public static LayerSpec Conv(int filters, Size2 kernel, Size2? stride = null, Size2? pad = null) =>
        new() { Type = LayerTypes.Conv, Filters = filters, Kernel = kernel, Stride = stride, Pad = pad };

    /// <summary>A fully connected layer of <paramref name="units"/> outputs.</summary>
    public static LayerSpec Affine(int units) => new() { Type = LayerTypes.Affine, Units = units };

    /// <summary>A ReLU.</summary>
    public static LayerSpec Relu() => new() { Type = LayerTypes.Relu };

    /// <summary>A logistic sigmoid.</summary>
    public static LayerSpec Sigmoid() => new() { Type = LayerTypes.Sigmoid };

    /// <summary>Dropout that zeroes a share <paramref name="ratio"/> in [0, 1) of the activations while training.</summary>
    public static LayerSpec Dropout(float ratio) => new() { Type = LayerTypes.Dropout, Ratio = ratio };

    /// <summary>Batch normalisation; per channel after a convolution unless <paramref name="perActivation"/> is true (null: the default for the input).</summary>
    public static LayerSpec BatchNorm(bool? perActivation = null) => new() { Type = LayerTypes.BatchNorm, PerActivation = perActivation };

    /// <summary>Max pooling with a <paramref name="size"/> window; the stride defaults to the window size, padding to 0.</summary>
    public static LayerSpec MaxPool(Size2 size, Size2? stride = null, Size2? pad = null) =>
        new() { Type = LayerTypes.MaxPool, Size = size, Stride = stride, Pad = pad };

    /// <summary>Average pooling with a <paramref name="size"/> window; the stride defaults to the window size, padding to 0.</summary>
    public static LayerSpec AvgPool(Size2 size, Size2? stride = null, Size2? pad = null) =>
        new() { Type = LayerTypes.AvgPool, Size = size, Stride = stride, Pad = pad };

    /// <summary>Global average pooling: [C, H, W] → [C].</summary>
    public static LayerSpec GlobalAvgPool() => new() { Type = LayerTypes.GlobalAvgPool };

    /// <summary>A flatten: [C, H, W] → [C·H·W].</summary>
    public static LayerSpec Flatten() => new() { Type = LayerTypes.Flatten };

    /// <summary>A tanh layer.</summary>
    public static LayerSpec Tanh() => new() { Type = LayerTypes.Tanh };

    /// <summary>A leaky ReLU (slope default 0.01).</summary>
    public static LayerSpec LeakyRelu(float? slope = null) => new() { Type = LayerTypes.LeakyRelu, Slope = slope };

    /// <summary>A residual block of <paramref name="body"/> and, when given, a projection <paramref name="shortcut"/>.</summary>
    public static LayerSpec Residual(IReadOnlyList<LayerSpec> body, IReadOnlyList<LayerSpec>? shortcut = null, string? name = null) =>
        new() { Type = LayerTypes.Residual, Name = name, Body = body, Shortcut = shortcut };

    /// <summary>A named group of <paramref name="layers"/>.</summary>
    public static LayerSpec Sequential(string? name, IReadOnlyList<LayerSpec> layers) =>
        new() { Type = LayerTypes.Sequential, Name = name, Layers = layers };

    /// <summary>The JSON names of the settings that are present (for "does not take" checks).</summary>
    internal IEnumerable<string> PresentSettings()
    {
        if (Filters is not null) yield return "filters";
        if (Units is not null) yield return "units";
        if (Kernel is not null) yield return "kernel";
        if (Size is not null) yield return "size";
        if (Stride is not null) yield return "stride";
        if (Pad is not null) yield return "pad";
        if (Ratio is not null) yield return "ratio";
        if (PerActivation is not null) yield return "perActivation";
        if (Init is not null) yield return "init";
        if (Slope is not null) yield return "slope";
        if (Body is not null) yield return "body";
        if (Shortcut is not null) yield return "shortcut";
        if (Layers is not null) yield return "layers";
        if (Settings is not null) foreach (string key in Settings.Keys) yield return key;
    }

    /// <summary>Value equality over every setting, nested layers included.</summary>
    public bool Equals(LayerSpec? other) =>
        other is not null
        && Type == other.Type && Name == other.Name && Filters == other.Filters && Units == other.Units
        && Kernel == other.Kernel && Size == other.Size && Stride == other.Stride && Pad == other.Pad
        && Ratio == other.Ratio && PerActivation == other.PerActivation && Init == other.Init && Slope == other.Slope
        && SameList(Body, other.Body) && SameList(Shortcut, other.Shortcut) && SameList(Layers, other.Layers)
        && SameSettings(Settings, other.Settings);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type); hash.Add(Name); hash.Add(Filters); hash.Add(Units); hash.Add(Kernel); hash.Add(Size);
        hash.Add(Stride); hash.Add(Pad); hash.Add(Ratio); hash.Add(PerActivation); hash.Add(Init); hash.Add(Slope);
        foreach (var list in (IReadOnlyList<LayerSpec>?[])[Body, Shortcut, Layers])
            hash.Add(list?.Count ?? -1);
        hash.Add(Settings?.Count ?? -1);
        return hash.ToHashCode();
    }

    private static bool SameList(IReadOnlyList<LayerSpec>? a, IReadOnlyList<LayerSpec>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static bool SameSettings(Dictionary<string, JsonElement>? a, Dictionary<string, JsonElement>? b)
    {
        if (a is null || a.Count == 0) return b is null || b.Count == 0;
        if (b is null || a.Count != b.Count) return false;
        foreach (var (key, value) in a)
            if (!b.TryGetValue(key, out var other) || !JsonElement.DeepEquals(value, other)) return false;
        return true;
    }
}
