using CnnNative.Nn.Filters;

namespace CnnNative.Tests.Imaging;

public sealed class KernelRegistryTests
{
    [Fact]
    public void ClassicHoldsTheSeedsTenInOrder()
    {
        Assert.Equal(
            ["horizontal-edge", "vertical-edge", "sobel-x", "sobel-y", "laplacian", "sharpen", "gaussian-3x3", "gaussian-5x5", "edge-enhance", "mean"],
            KernelRegistry.Classic.Kernels.Select(k => k.Name));
    }

    [Fact]
    public void CoefficientsAreTheSeeds()
    {
        // Copied from seed 003's `kernels` dictionary.
        AssertKernel("horizontal-edge", 1, [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]);
        AssertKernel("vertical-edge", 1, [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]);
        AssertKernel("sobel-x", 1, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]);
        AssertKernel("sobel-y", 1, [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]);
        AssertKernel("laplacian", 1, [[0, 1, 0], [1, -4, 1], [0, 1, 0]]);
        AssertKernel("sharpen", 1, [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]);
        AssertKernel("gaussian-3x3", 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]]);
        AssertKernel("gaussian-5x5", 256, [[1, 4, 6, 4, 1], [4, 16, 24, 16, 4], [6, 24, 36, 24, 6], [4, 16, 24, 16, 4], [1, 4, 6, 4, 1]]);
        AssertKernel("edge-enhance", 1, [[-1, -1, -1], [-1, 9, -1], [-1, -1, -1]]);
        AssertKernel("mean", 9, [[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndTheSeedsNamesWork()
    {
        Assert.Same(ClassicKernels.SobelX, KernelRegistry.Classic.Get("Sobel-X"));
        Assert.Same(ClassicKernels.SobelX, KernelRegistry.Classic.Get("Sobel水平"));
        Assert.Same(ClassicKernels.Gaussian5, KernelRegistry.Classic.Get("高斯模糊5x5"));
    }

    [Fact]
    public void DescriptionsArePlainEnglishWithoutTheSeedsNames()
    {
        foreach (ImageKernel kernel in KernelRegistry.Classic.Kernels)
        {
            Assert.False(string.IsNullOrWhiteSpace(kernel.Description), kernel.Name);
            Assert.DoesNotContain("seed", kernel.Description, StringComparison.OrdinalIgnoreCase);
            foreach (string seedName in ClassicKernels.SeedNames.Keys)
                Assert.DoesNotContain(seedName, kernel.Description, StringComparison.Ordinal);
            Assert.All(kernel.Description, c => Assert.True(c < 0x2E80, $"{kernel.Name}: '{c}' is not plain English"));
        }
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var error = Assert.Throws<UnknownKernelException>(() => KernelRegistry.Classic.Get("blur"));

        Assert.Contains("Unknown kernel 'blur'", error.Message);
        Assert.Contains("sobel-x", error.Message);
        Assert.Contains("--kernel-file", error.Message);
    }

    [Fact]
    public void CustomKernelsExtendACopy()
    {
        var emboss = new ImageKernel("emboss", new double[,] { { -2, -1, 0 }, { -1, 1, 1 }, { 0, 1, 2 } });

        KernelRegistry extended = KernelRegistry.Classic.With(emboss);

        Assert.Same(emboss, extended.Get("emboss"));
        Assert.False(KernelRegistry.Classic.TryGet("emboss", out _));
        Assert.Throws<ArgumentException>(() => extended.With(emboss));
        Assert.Throws<ArgumentException>(() => KernelRegistry.Classic.With(new ImageKernel("拉普拉斯", new double[,] { { 1 } })));
    }

    private static void AssertKernel(string name, double divisor, int[][] rows)
    {
        ImageKernel kernel = KernelRegistry.Classic.Get(name);
        Assert.Equal(rows.Length, kernel.Height);
        Assert.Equal(rows[0].Length, kernel.Width);
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < rows[r].Length; c++)
                Assert.Equal(rows[r][c] / divisor, kernel[r, c], 15);
    }
}
