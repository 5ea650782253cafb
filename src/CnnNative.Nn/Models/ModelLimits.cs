namespace CnnNative.Nn;

/// <summary>
/// Sizes beyond which a model description is taken to be a mistake (a typo'd "units": 1000000)
/// rather than a wish: building it would exhaust memory long before it trained.
/// </summary>
public static class ModelLimits
{
    /// <summary>
    /// Largest single parameter or per-sample activation tensor: 2²⁷ values (512 MiB of float32),
    /// so VGG16's 25088→4096 first affine layer (102.8 million weights) fits.
    /// </summary>
    public const long MaxTensorElements = 1L << 27;

    /// <summary>Largest total parameter count of a network: 2²⁸ values (1 GiB of float32); VGG16 has 138 million.</summary>
    public const long MaxParameters = 1L << 28;

    /// <summary>Most filters or units in one layer.</summary>
    public const int MaxWidth = 65536;

    /// <summary>Most layers in one model.</summary>
    public const int MaxLayers = 1000;

    /// <summary>Largest kernel, pooling window, stride or padding along one axis.</summary>
    public const int MaxWindow = 1024;
}
