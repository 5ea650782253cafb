using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class ImageResamplerTests
{
    [Fact]
    public void ShrinkingAveragesTheCoveredArea()
    {
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

        float[] result = ImageResampler.Resize(source, 4, 4, 2, 2);

        Assert.Equal([3.5f, 5.5f, 11.5f, 13.5f], result); // the seed's 2×2 average pooling of the same matrix
    }

    [Fact]
    public void FractionalShrinkWeighsPartialPixels()
    {
        // 3 → 2: output 0 covers input [0, 1.5): 1·(2/3) + 0.5·(1/3)… of values 0, 3, 6.
        float[] result = ImageResampler.Resize([0f, 3f, 6f], 3, 1, 2, 1);

        Assert.Equal(1f, result[0], 5);
        Assert.Equal(5f, result[1], 5);
    }

    [Fact]
    public void GrowingInterpolatesBetweenPixelCentres()
    {
        float[] result = ImageResampler.Resize([0f, 4f], 2, 1, 4, 1);

        Assert.Equal([0f, 1f, 3f, 4f], result);
    }

    [Fact]
    public void ConstantImageStaysConstantAtAnySize()
    {
        float[] source = Enumerable.Repeat(0.75f, 7 * 5).ToArray();

        foreach (var (w, h) in new[] { (3, 2), (20, 9), (7, 5), (1, 1), (13, 3) })
            Assert.All(ImageResampler.Resize(source, 7, 5, w, h), v => Assert.Equal(0.75f, v, 5));
    }
}
