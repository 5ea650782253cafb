namespace CnnNative.Nn;

/// <summary>
/// Sizes beyond which a model description is taken to be a mistake (a typo'd "units": 1000000)
/// rather than a wish: building it would exhaust memory long before it trained.
/// </summary>
public static class ModelLimits
{
    /// <summary>Largest single parameter or per-sample activation tensor: 2²⁶ values (256 MiB of float32).</summary>
    public const long MaxTensorElements = 1L << 26;

    /// <summary>Largest total parameter count of a network: 2²⁷ values (512 MiB of float32).</summary>
    public const long MaxParameters = 1L << 27;

    /// <summary>Most filters or units in one layer.</summary>
    public const int MaxWidth = 65536;

    /// <summary>Most layers in one model.</summary>
    public const int MaxLayers = 1000;

    /// <summary>Largest kernel, pooling window, stride or padding along one axis.</summary>
    public const int MaxWindow = 1024;
}
