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

    // ── shorthand constructors used by the presets ──────────────────────────────────────────

    public static LayerSpec Conv(int filters, Size2 kernel, Size2? stride = null, Size2? pad = null) =>
        new() { Type = LayerTypes.Conv, Filters = filters, Kernel = kernel, Stride = stride, Pad = pad };

    public static LayerSpec Affine(int units) => new() { Type = LayerTypes.Affine, Units = units };

    public static LayerSpec Relu() => new() { Type = LayerTypes.Relu };

    public static LayerSpec Sigmoid() => new() { Type = LayerTypes.Sigmoid };

    public static LayerSpec Dropout(float ratio) => new() { Type = LayerTypes.Dropout, Ratio = ratio };

    public static LayerSpec BatchNorm(bool? perActivation = null) => new() { Type = LayerTypes.BatchNorm, PerActivation = perActivation };

    public static LayerSpec MaxPool(Size2 size, Size2? stride = null, Size2? pad = null) =>
        new() { Type = LayerTypes.MaxPool, Size = size, Stride = stride, Pad = pad };

    public static LayerSpec AvgPool(Size2 size, Size2? stride = null, Size2? pad = null) =>
        new() { Type = LayerTypes.AvgPool, Size = size, Stride = stride, Pad = pad };

    public static LayerSpec GlobalAvgPool() => new() { Type = LayerTypes.GlobalAvgPool };

    public static LayerSpec Flatten() => new() { Type = LayerTypes.Flatten };

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
    }
}
