using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class GrayImageTests
{
    [Theory]
    [InlineData(255, 0, 0, 76)]     // 0.299·255 = 76.2
    [InlineData(0, 255, 0, 150)]    // 0.587·255 = 149.7
    [InlineData(0, 0, 255, 29)]     // 0.114·255 = 29.1
    [InlineData(255, 255, 255, 255)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(100, 150, 200, 141)] // 29.9 + 88.05 + 22.8 = 140.75
    public void RgbBecomesBt601Luma(byte r, byte g, byte b, byte expected)
    {
        var rgb = new RasterImage(1, 1, PixelLayout.Rgb, [r, g, b]);

        Assert.Equal(expected, GrayImage.FromRaster(rgb).Pixels[0]);
    }

    [Fact]
    public void TransparencyIsCompositedOverTheBackground()
    {
        // Black at alpha 0, 128 and 255 over white: white, mid-gray, black.
        var rgba = new RasterImage(3, 1, PixelLayout.Rgba, [0, 0, 0, 0, 0, 0, 0, 128, 0, 0, 0, 255]);

        Assert.Equal([255, 127, 0], GrayImage.FromRaster(rgba).Pixels);
        Assert.Equal([0, 0, 0], GrayImage.FromRaster(rgba, RgbColour.Black).Pixels);

        var grayAlpha = new RasterImage(2, 1, PixelLayout.GrayAlpha, [200, 255, 200, 0]);
        Assert.Equal([200, 255], GrayImage.FromRaster(grayAlpha).Pixels);
    }

    [Fact]
    public void FloatsRoundTripThroughTheUnitRange()
    {
        var image = new GrayImage(2, 2, [0, 1, 128, 255]);

        float[] values = image.ToFloats();
        Assert.Equal(1f, values[3]);
        Assert.Equal(128 / 255f, values[2]);
        Assert.Equal(image.Pixels, GrayImage.FromFloats(2, 2, values).Pixels);
    }

    [Fact]
    public void FromFloatsClampsAndMapsTheGivenRange()
    {
        GrayImage image = GrayImage.FromFloats(4, 1, [-5f, -1f, 0f, 9f], black: -1f, white: 1f);

        Assert.Equal([0, 0, 128, 255], image.Pixels);
    }

    [Fact]
    public void WrongPixelCountIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new GrayImage(3, 3, new byte[8]));
        Assert.Contains("needs 9 bytes, got 8", error.Message);
        Assert.Throws<ArgumentException>(() => new GrayImage(0, 3));
    }
}
