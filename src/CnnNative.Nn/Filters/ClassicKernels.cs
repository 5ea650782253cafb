namespace CnnNative.Nn.Filters;

/// <summary>
/// The ten kernels of seed 003 ("常见卷积核及用途"), with the seed's coefficients exactly. The
/// seed's names are kept as aliases: 水平边缘, 垂直边缘, Sobel水平, Sobel垂直, 拉普拉斯, 锐化,
/// 高斯模糊3x3, 高斯模糊5x5, 边缘增强, 均值滤波.
/// </summary>
internal static class ClassicKernels
{
    public static ImageKernel HorizontalEdge { get; } = ImageKernel.Scaled("horizontal-edge", 1,
        new[,] { { -1, -1, -1 }, { 0, 0, 0 }, { 1, 1, 1 } },
        "Horizontal edges: bright below dark (seed 水平边缘).");

    public static ImageKernel VerticalEdge { get; } = ImageKernel.Scaled("vertical-edge", 1,
        new[,] { { -1, 0, 1 }, { -1, 0, 1 }, { -1, 0, 1 } },
        "Vertical edges: bright right of dark (seed 垂直边缘).");

    /// <summary>The x-derivative, which the seed calls "Sobel horizontal" (Sobel水平).</summary>
    public static ImageKernel SobelX { get; } = ImageKernel.Scaled("sobel-x", 1,
        new[,] { { -1, 0, 1 }, { -2, 0, 2 }, { -1, 0, 1 } },
        "Sobel x-gradient, finds vertical edges (seed Sobel水平).");

    /// <summary>The y-derivative pointing up, which the seed calls "Sobel vertical" (Sobel垂直).</summary>
    public static ImageKernel SobelY { get; } = ImageKernel.Scaled("sobel-y", 1,
        new[,] { { 1, 2, 1 }, { 0, 0, 0 }, { -1, -2, -1 } },
        "Sobel y-gradient, finds horizontal edges bright above dark (seed Sobel垂直).");

    public static ImageKernel Laplacian { get; } = ImageKernel.Scaled("laplacian", 1,
        new[,] { { 0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } },
        "Laplacian, the second derivative: outlines edges (seed 拉普拉斯).");

    public static ImageKernel Sharpen { get; } = ImageKernel.Scaled("sharpen", 1,
        new[,] { { 0, -1, 0 }, { -1, 5, -1 }, { 0, -1, 0 } },
        "Sharpen (seed 锐化).");

    public static ImageKernel Gaussian3 { get; } = ImageKernel.Scaled("gaussian-3x3", 1.0 / 16,
        new[,] { { 1, 2, 1 }, { 2, 4, 2 }, { 1, 2, 1 } },
        "Gaussian blur 3×3, /16 (seed 高斯模糊3x3).");

    public static ImageKernel Gaussian5 { get; } = ImageKernel.Scaled("gaussian-5x5", 1.0 / 256,
        new[,]
        {
            { 1, 4, 6, 4, 1 }, { 4, 16, 24, 16, 4 }, { 6, 24, 36, 24, 6 }, { 4, 16, 24, 16, 4 }, { 1, 4, 6, 4, 1 },
        },
        "Gaussian blur 5×5, /256: stronger smoothing (seed 高斯模糊5x5).");

    public static ImageKernel EdgeEnhance { get; } = ImageKernel.Scaled("edge-enhance", 1,
        new[,] { { -1, -1, -1 }, { -1, 9, -1 }, { -1, -1, -1 } },
        "Edge enhancement: sharper outlines (seed 边缘增强).");

    public static ImageKernel Mean { get; } = ImageKernel.Scaled("mean", 1.0 / 9,
        new[,] { { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } },
        "Mean (box) filter 3×3, /9: even smoothing (seed 均值滤波).");

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
