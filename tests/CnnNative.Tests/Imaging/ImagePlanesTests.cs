using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class ImagePlanesTests
{
    [Fact]
    public void ColourBecomesPlanarRgbOrBt601Gray()
    {
        var image = new RasterImage(2, 1, PixelLayout.Rgb, [255, 0, 0, 100, 150, 200]);

        float[] rgb = ImagePlanes.FromRaster(image, 3, RgbColour.White);
        Assert.Equal([1f, 100 / 255f, 0f, 150 / 255f, 0f, 200 / 255f], rgb);

        float[] gray = ImagePlanes.FromRaster(image, 1, RgbColour.White);
        Assert.Equal(0.299f, gray[0], 5);
        Assert.Equal((0.299f * 100 + 0.587f * 150 + 0.114f * 200) / 255f, gray[1], 5);
    }

    [Fact]
    public void TransparencyIsCompositedOnTheChosenBackground()
    {
        // Red at alpha 0 and 255, gray at alpha 0.
        var image = new RasterImage(2, 1, PixelLayout.Rgba, [255, 0, 0, 0, 255, 0, 0, 255]);

        Assert.Equal([0f, 1f, 1f, 0f, 0.5f, 0f], ImagePlanes.FromRaster(image, 3, RgbColour.Parse("#00ff80")), new FloatTolerance(0.003f));
        Assert.Equal([1f, 1f, 1f, 0f, 1f, 0f], ImagePlanes.FromRaster(image, 3, RgbColour.White));
        var grayAlpha = new RasterImage(1, 1, PixelLayout.GrayAlpha, [10, 0]);
        Assert.Equal([0f, 0f, 0f], ImagePlanes.FromRaster(grayAlpha, 3, RgbColour.Black));
    }

    [Fact]
    public void GrayIsRepeatedIntoThreeChannels()
    {
        var image = new RasterImage(1, 1, PixelLayout.Gray, [51]);

        Assert.Equal([0.2f, 0.2f, 0.2f], ImagePlanes.FromRaster(image, 3, RgbColour.White));
    }

    [Fact]
    public void ResizeAveragesEachPlaneOnItsOwn()
    {
        // 4×2, two planes: a checkerboard (averages to 0.5) and a constant 0.25.
        float[] planes = [0, 1, 0, 1, 1, 0, 1, 0, .25f, .25f, .25f, .25f, .25f, .25f, .25f, .25f];

        float[] small = ImagePlanes.Resize(planes, 2, 4, 2, 2, 1);

        Assert.Equal([0.5f, 0.5f, 0.25f, 0.25f], small);
    }

    [Theory]
    [InlineData("white", 255, 255, 255)]
    [InlineData("Black", 0, 0, 0)]
    [InlineData("#ff8000", 255, 128, 0)]
    [InlineData("102030", 16, 32, 48)]
    public void BackgroundColoursParse(string text, byte r, byte g, byte b) =>
        Assert.Equal(new RgbColour(r, g, b), RgbColour.Parse(text));

    [Fact]
    public void AnUnknownColourSaysWhatIsAccepted() =>
        Assert.Contains("#ff8000", Assert.Throws<FormatException>(() => RgbColour.Parse("mauve")).Message);

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
