using CnnNative.Core;
using CnnNative.Nn.Filters;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Imaging;

/// <summary>
/// The seed's filters through a real provider's Im2Col + Gemm, against values worked out by
/// hand (comments show the arithmetic) and against the outputs the seed itself prints.
/// One sealed subclass per provider runs them all.
/// </summary>
public abstract class ImageFilterTests : IDisposable
{
    private readonly IComputeProvider _provider;

    protected ImageFilterTests(IComputeProvider provider) => _provider = provider;

    public void Dispose()
    {
        _provider.Dispose();
        GC.SuppressFinalize(this);
    }

    // A 4-wide, 3-high ramp; outside it the image is zero (the seed's np.pad).
    //   1  2  3  4
    //   5  6  7  8
    //   9 10 11 12
    private static readonly float[] Ramp = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    [Fact]
    public void LaplacianMatchesHandComputation()
    {
        // out = up + down + left + right − 4·centre, e.g. (0,0): 0 + 5 + 0 + 2 − 4 = 3;
        // (1,1): 2 + 10 + 5 + 7 − 24 = 0; (2,3): 8 + 0 + 11 + 0 − 48 = −29.
        float[] expected = [3, 2, 1, -5, -4, 0, 0, -9, -21, -14, -15, -29];

        Assert.Equal(expected, Correlate(ClassicKernels.Laplacian, Ramp, 4, 3));
    }

    [Fact]
    public void SobelXMatchesHandComputation()
    {
        // Row differences D(r, x) = I(r, x+1) − I(r, x−1):  row 0: 2 2 2 −3;  row 1: 6 2 2 −7;  row 2: 10 2 2 −11.
        // out(y) = D(y−1) + 2·D(y) + D(y+1), rows outside are 0: row 0 = 2·D0 + D1 = 10 6 6 −13 …
        float[] expected = [10, 6, 6, -13, 24, 8, 8, -28, 26, 6, 6, -29];

        Assert.Equal(expected, Correlate(ClassicKernels.SobelX, Ramp, 4, 3));
    }

    [Fact]
    public void SobelYMatchesHandComputation()
    {
        // Row sums S(r, x) = I(r, x−1) + 2·I(r, x) + I(r, x+1):  row 0: 4 8 12 11;  row 1: 16 24 28 23;  row 2: 28 40 44 35.
        // out(y) = S(y−1) − S(y+1): row 0 = −S1, row 1 = S0 − S2, row 2 = S1.
        float[] expected = [-16, -24, -28, -23, -24, -32, -32, -24, 16, 24, 28, 23];

        Assert.Equal(expected, Correlate(ClassicKernels.SobelY, Ramp, 4, 3));
    }

    [Fact]
    public void ClippingFollowsTheSeed()
    {
        // Laplacian of the ramp ×10: negatives clip to 0; Sobel x of it: 240 and 260 → 240, 255.
        byte[] ramp10 = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];

        Assert.Equal([30, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            ImageFilter.Apply(_provider, ClassicKernels.Laplacian, ramp10, 4, 3));
        Assert.Equal([100, 60, 60, 0, 240, 80, 80, 0, 255, 60, 60, 0],
            ImageFilter.Apply(_provider, ClassicKernels.SobelX, ramp10, 4, 3));
    }

    [Fact]
    public void SeedPaddingExampleIsReproduced()
    {
        // Seed 003, "over padding": the vertical-line kernel on [[255,1,2]] ×3 with pad 1 prints
        // [[510, 2, 4], [765, 3, 6], [510, 2, 4]].
        ImageKernel vertical = KernelJson.Parse("""{"name": "column", "kernel": [[0,1,0],[0,1,0],[0,1,0]]}""");

        float[] result = Correlate(vertical, [255, 1, 2, 255, 1, 2, 255, 1, 2], 3, 3);

        Assert.Equal([510f, 2, 4, 765, 3, 6, 510, 2, 4], result);
    }

    [Fact]
    public void KernelIsNotFlipped()
    {
        // Correlation: a kernel whose only 1 is on the right reads the right neighbour; one
        // whose only 1 is on top reads the pixel above. Also covers non-square kernels.
        var right = new ImageKernel("right", new double[,] { { 0, 0, 1 } });
        var up = new ImageKernel("up", new double[,] { { 1 }, { 0 }, { 0 } });

        Assert.Equal([2f, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 0], Correlate(right, Ramp, 4, 3));
        Assert.Equal([0f, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], Correlate(up, Ramp, 4, 3));
    }

    [Fact]
    public void MeanOfEqualPixelsKeepsTheirLevel()
    {
        // Nine 100s times 1/9 is 100 in real arithmetic; float rounding must not truncate it to 99.
        // Corner: four 100s / 9 = 44.4 → 44; edge: six 100s / 9 = 66.7 → 66.
        byte[] flat = Enumerable.Repeat((byte)100, 9).ToArray();

        Assert.Equal([44, 66, 44, 66, 100, 66, 44, 66, 44], ImageFilter.Apply(_provider, ClassicKernels.Mean, flat, 3, 3));
        Assert.Equal(100, ImageFilter.Apply(_provider, ClassicKernels.Gaussian5, Enumerable.Repeat((byte)100, 25).ToArray(), 5, 5)[12]);
    }

    [Fact]
    public void BandedImageEqualsWholeImageAndDirectSum()
    {
        // Tall images go through in bands with halo rows; forcing one-row bands must change nothing.
        const int w = 37, h = 29;
        var random = new Random(3);
        float[] image = [.. Enumerable.Range(0, w * h).Select(_ => (float)random.Next(256))];

        float[] whole = Correlate(ClassicKernels.Gaussian5, image, w, h);
        float[] banded = ImageFilter.Correlate(_provider, ClassicKernels.Gaussian5, image, w, h, maxColumnElements: 1);

        Assert.Equal(whole, banded);
        float[] direct = DirectCorrelation(ClassicKernels.Gaussian5, image, w, h);
        for (int i = 0; i < direct.Length; i++) Assert.Equal(direct[i], whole[i], 3);
    }

    [Fact]
    public void EveryClassicKernelKeepsTheImageSize()
    {
        byte[] image = [.. Enumerable.Range(0, 6 * 5).Select(i => (byte)(i * 8))];
        foreach (ImageKernel kernel in KernelRegistry.Classic.Kernels)
            Assert.Equal(30, ImageFilter.Apply(_provider, kernel, image, 6, 5).Length);
    }

    [Fact]
    public void WrongPixelCountIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageFilter.Correlate(_provider, ClassicKernels.Mean, new float[11], 4, 3));
        Assert.Contains("needs 12 pixels, got 11", error.Message);
    }

    private float[] Correlate(ImageKernel kernel, float[] image, int width, int height) =>
        ImageFilter.Correlate(_provider, kernel, image, width, height);

    /// <summary>The seed's convolve2d on np.pad(image), as plain loops: an oracle for the test only.</summary>
    private static float[] DirectCorrelation(ImageKernel kernel, float[] image, int width, int height)
    {
        var result = new float[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double sum = 0;
                for (int i = 0; i < kernel.Height; i++)
                    for (int j = 0; j < kernel.Width; j++)
                    {
                        int sy = y + i - kernel.Height / 2, sx = x + j - kernel.Width / 2;
                        if (sy >= 0 && sy < height && sx >= 0 && sx < width) sum += kernel[i, j] * image[sy * width + sx];
                    }
                result[y * width + x] = (float)sum;
            }
        return result;
    }
}

public sealed class ImageFilterTestsOnReference() : ImageFilterTests(new ReferenceProvider());

public sealed class ImageFilterTestsOnManaged() : ImageFilterTests(new ManagedProvider(2));
