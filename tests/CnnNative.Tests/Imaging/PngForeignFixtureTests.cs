using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>PNG files written by other encoders (Python's zlib from the spec, ImageMagick's libpng) decode to the pixels they were made from.</summary>
public sealed class PngForeignFixtureTests
{
    [Theory]
    [InlineData("py_gray8.png", 7, 6, PixelLayout.Gray)]
    [InlineData("py_gray_alpha8.png", 7, 6, PixelLayout.GrayAlpha)]
    [InlineData("py_rgb8.png", 7, 6, PixelLayout.Rgb)]
    [InlineData("py_rgba8.png", 7, 6, PixelLayout.Rgba)]
    [InlineData("im_gray8.png", 23, 17, PixelLayout.Gray)]
    [InlineData("im_rgb8.png", 23, 17, PixelLayout.Rgb)]
    [InlineData("im_rgba8.png", 23, 17, PixelLayout.Rgba)]
    public void EightBitFilesDecodeToTheirFormula(string name, int width, int height, PixelLayout layout)
    {
        RasterImage image = PngCodec.Decode(ForeignPngFixtures.Read(name));

        ForeignPngFixtures.AssertPixels(image, width, height, layout,
            ForeignPngFixtures.Interleaved(width, height, (int)layout));
    }

    [Theory]
    [InlineData("py_gray1.png", 1, 255)]
    [InlineData("py_gray2.png", 2, 85)]
    [InlineData("py_gray4.png", 4, 17)]
    public void LowBitGrayIsScaledToEightBits(string name, int depth, int step)
    {
        RasterImage image = PngCodec.Decode(ForeignPngFixtures.Read(name));

        var expected = new byte[13 * 6];
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 13; x++)
                expected[y * 13 + x] = (byte)(ForeignPngFixtures.LowBitSample(x, y, depth) * step);
        ForeignPngFixtures.AssertPixels(image, 13, 6, PixelLayout.Gray, expected);
    }

    [Fact]
    public void PaletteWithTransparencyBecomesRgba()
    {
        RasterImage image = PngCodec.Decode(ForeignPngFixtures.Read("py_palette4_trns.png"));

        var expected = new byte[13 * 6 * 4];
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 13; x++)
            {
                int index = ForeignPngFixtures.PaletteIndex(x, y);
                var (r, g, b) = ForeignPngFixtures.PaletteEntry(index);
                int o = (y * 13 + x) * 4;
                expected[o] = r; expected[o + 1] = g; expected[o + 2] = b;
                expected[o + 3] = ForeignPngFixtures.PaletteAlpha(index);
            }
        ForeignPngFixtures.AssertPixels(image, 13, 6, PixelLayout.Rgba, expected);
    }

    [Fact]
    public void ImageMagickPaletteBecomesRgb()
    {
        RasterImage image = PngCodec.Decode(ForeignPngFixtures.Read("im_palette8.png"));

        var expected = new byte[23 * 17 * 3];
        for (int y = 0; y < 17; y++)
            for (int x = 0; x < 23; x++)
            {
                var (r, g, b) = ForeignPngFixtures.PaletteEntry(ForeignPngFixtures.PaletteIndex(x, y));
                int o = (y * 23 + x) * 3;
                expected[o] = r; expected[o + 1] = g; expected[o + 2] = b;
            }
        ForeignPngFixtures.AssertPixels(image, 23, 17, PixelLayout.Rgb, expected);
    }

    [Fact]
    public void GrayColourKeyBecomesAlpha()
    {
        RasterImage image = PngCodec.Decode(ForeignPngFixtures.Read("py_gray8_trns.png"));

        byte key = ForeignPngFixtures.Sample(0, 0, 0);
        var expected = new byte[7 * 6 * 2];
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 7; x++)
            {
                byte v = ForeignPngFixtures.Sample(x, y, 0);
                expected[(y * 7 + x) * 2] = v;
                expected[(y * 7 + x) * 2 + 1] = v == key ? (byte)0 : (byte)255;
            }
        ForeignPngFixtures.AssertPixels(image, 7, 6, PixelLayout.GrayAlpha, expected);
        Assert.Equal(0, image.Pixels[1]); // the key pixel itself is transparent
    }

    [Fact]
    public void FixturesUseEveryRowFilter()
    {
        // Guards the fixtures themselves: if make_fixtures.py stopped cycling filters, the
        // foreign-decoder tests above would no longer cover Sub, Up, Average and Paeth.
        byte[] png = ForeignPngFixtures.Read("py_rgb8.png");
        var filters = PngTestFiles.RowFilterTypes(png, rowBytes: 7 * 3, height: 6);
        Assert.Equal([0, 1, 2, 3, 4], filters.Distinct().Order().ToArray());
    }
}
