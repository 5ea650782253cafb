namespace CnnNative.Nn.Filters;

/// <summary>
/// Ten classic image kernels with the coefficients of the project's seed 003 exactly; each has an
/// English name and a plain-English description (what <c>cnn filter --list</c> and the filter
/// gallery show). The seed's own (Chinese) names are accepted as aliases, see <see cref="SeedNames"/>.
/// </summary>
internal static class ClassicKernels
{
    public static ImageKernel HorizontalEdge { get; } = ImageKernel.Scaled("horizontal-edge", 1,
        new[,] { { -1, -1, -1 }, { 0, 0, 0 }, { 1, 1, 1 } },
        "Horizontal edges: bright where the image gets brighter downwards, dark where it gets darker.");

    public static ImageKernel VerticalEdge { get; } = ImageKernel.Scaled("vertical-edge", 1,
        new[,] { { -1, 0, 1 }, { -1, 0, 1 }, { -1, 0, 1 } },
        "Vertical edges: bright where the image gets brighter to the right, dark where it gets darker.");

    /// <summary>The left-to-right derivative (the seed's "Sobel horizontal", Sobel水平).</summary>
    public static ImageKernel SobelX { get; } = ImageKernel.Scaled("sobel-x", 1,
        new[,] { { -1, 0, 1 }, { -2, 0, 2 }, { -1, 0, 1 } },
        "Sobel left-to-right gradient: finds vertical edges, weighting the middle row twice to resist noise.");

    /// <summary>The bottom-to-top derivative (the seed's "Sobel vertical", Sobel垂直).</summary>
    public static ImageKernel SobelY { get; } = ImageKernel.Scaled("sobel-y", 1,
        new[,] { { 1, 2, 1 }, { 0, 0, 0 }, { -1, -2, -1 } },
        "Sobel bottom-to-top gradient: finds horizontal edges, bright where the image gets brighter upwards.");

    public static ImageKernel Laplacian { get; } = ImageKernel.Scaled("laplacian", 1,
        new[,] { { 0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } },
        "Laplacian (second derivative): outlines edges in every direction, flat areas become zero.");

    public static ImageKernel Sharpen { get; } = ImageKernel.Scaled("sharpen", 1,
        new[,] { { 0, -1, 0 }, { -1, 5, -1 }, { 0, -1, 0 } },
        "Sharpen: adds the difference from the four neighbours, so edges stand out.");

    public static ImageKernel Gaussian3 { get; } = ImageKernel.Scaled("gaussian-3x3", 1.0 / 16,
        new[,] { { 1, 2, 1 }, { 2, 4, 2 }, { 1, 2, 1 } },
        "Gaussian blur 3×3 (weights sum to 16, divided by 16): light smoothing.");

    public static ImageKernel Gaussian5 { get; } = ImageKernel.Scaled("gaussian-5x5", 1.0 / 256,
        new[,]
        {
            { 1, 4, 6, 4, 1 }, { 4, 16, 24, 16, 4 }, { 6, 24, 36, 24, 6 }, { 4, 16, 24, 16, 4 }, { 1, 4, 6, 4, 1 },
        },
        "Gaussian blur 5×5 (weights sum to 256, divided by 256): stronger smoothing.");

    public static ImageKernel EdgeEnhance { get; } = ImageKernel.Scaled("edge-enhance", 1,
        new[,] { { -1, -1, -1 }, { -1, 9, -1 }, { -1, -1, -1 } },
        "Edge enhancement: adds the difference from all eight neighbours, for sharper outlines than sharpen.");

    public static ImageKernel Mean { get; } = ImageKernel.Scaled("mean", 1.0 / 9,
        new[,] { { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } },
        "Mean (box) filter 3×3: the average of the nine pixels, even smoothing.");

    /// <summary>The ten in the seed's order.</summary>
    public static IReadOnlyList<ImageKernel> All { get; } =
        [HorizontalEdge, VerticalEdge, SobelX, SobelY, Laplacian, Sharpen, Gaussian3, Gaussian5, EdgeEnhance, Mean];

    /// <summary>The seed's own name for each kernel (its dictionary keys), accepted as aliases.</summary>
    public static IReadOnlyDictionary<string, string> SeedNames { get; } = new Dictionary<string, string>
    {
        ["水平边缘"] = "horizontal-edge",
        ["垂直边缘"] = "vertical-edge",
        ["Sobel水平"] = "sobel-x",
        ["Sobel垂直"] = "sobel-y",
        ["拉普拉斯"] = "laplacian",
        ["锐化"] = "sharpen",
        ["高斯模糊3x3"] = "gaussian-3x3",
        ["高斯模糊5x5"] = "gaussian-5x5",
        ["边缘增强"] = "edge-enhance",
        ["均值滤波"] = "mean",
    };
}
