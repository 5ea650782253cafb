using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>
/// Image files written by other encoders (Python's zlib from the PNG spec; ImageMagick's libpng,
/// libjpeg, libwebp, BMP and GIF coders) decode to the pixels they were made from: every PNG
/// kind (1–16 bits, palette, gray+alpha, Adam7 interlaced), BMP, GIF, WebP and JPEG.
/// </summary>
public sealed class ImageFixtureTests
{
    [Theory]
    [InlineData("py_gray8.png", 7, 6, PixelLayout.Gray)]
    [InlineData("py_gray_alpha8.png", 7, 6, PixelLayout.GrayAlpha)]
    [InlineData("py_rgb8.png", 7, 6, PixelLayout.Rgb)]
    [InlineData("py_rgba8.png", 7, 6, PixelLayout.Rgba)]
    [InlineData("py_gray16.png", 7, 6, PixelLayout.Gray)]
    [InlineData("py_rgba16.png", 7, 6, PixelLayout.Rgba)]
    [InlineData("py_rgb8_interlaced.png", 13, 11, PixelLayout.Rgb)]
    [InlineData("py_gray_alpha8_interlaced.png", 13, 11, PixelLayout.GrayAlpha)]
    [InlineData("im_gray8.png", 23, 17, PixelLayout.Gray)]
    [InlineData("im_rgb8.png", 23, 17, PixelLayout.Rgb)]
    [InlineData("im_rgba8.png", 23, 17, PixelLayout.Rgba)]
    [InlineData("im_rgb16_interlaced.png", 23, 17, PixelLayout.Rgb)]
    [InlineData("im_rgb8.bmp", 23, 17, PixelLayout.Rgb)]
    [InlineData("im_rgb8_lossless.webp", 23, 17, PixelLayout.Rgb)]
    public void LosslessFilesDecodeToTheirFormula(string name, int width, int height, PixelLayout layout)
    {
        RasterImage image = ImageFile.Decode(ForeignPngFixtures.Read(name));

        ForeignPngFixtures.AssertPixels(image, width, height, layout, ForeignPngFixtures.Interleaved(width, height, (int)layout));
    }

    [Theory]
    [InlineData("im_rgb8.jpg", PixelLayout.Rgb)]
    [InlineData("im_gray8.jpg", PixelLayout.Gray)]
    public void JpegDecodesCloseToItsFormula(string name, PixelLayout layout)
    {
        RasterImage image = ImageFile.Decode(ForeignPngFixtures.Read(name));

        // Quality 95 without chroma subsampling: the formula's sharp texture stays within a few levels.
        Assert.Equal(layout == PixelLayout.Gray ? PixelLayout.Gray : PixelLayout.Rgba, image.Layout);
        ForeignPngFixtures.AssertPixels(image, 23, 17, layout, ForeignPngFixtures.Interleaved(23, 17, (int)layout), tolerance: 24);
    }

    [Fact]
    public void GrayFilesStayOneChannel()
    {
        Assert.Equal(PixelLayout.Gray, ImageFile.Decode(ForeignPngFixtures.Read("py_gray16.png")).Layout);
        Assert.Equal(PixelLayout.Gray, ImageFile.Decode(ForeignPngFixtures.Read("im_gray8.png")).Layout);
    }

    [Theory]
    [InlineData("py_gray1.png", 1, 255)]
    [InlineData("py_gray2.png", 2, 85)]
    [InlineData("py_gray4.png", 4, 17)]
    public void LowBitGrayIsScaledToEightBits(string name, int depth, int step)
    {
        RasterImage image = ImageFile.Decode(ForeignPngFixtures.Read(name));

        var expected = new byte[13 * 6];
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 13; x++)
                expected[y * 13 + x] = (byte)(ForeignPngFixtures.LowBitSample(x, y, depth) * step);
        ForeignPngFixtures.AssertPixels(image, 13, 6, PixelLayout.Gray, expected);
    }

    [Fact]
    public void PaletteWithTransparencyKeepsItsAlpha()
    {
        RasterImage image = ImageFile.Decode(ForeignPngFixtures.Read("py_palette4_trns.png"));

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
        // Fully transparent pixels carry no colour, whatever the decoder leaves there: compare alpha only.
        byte[] got = ForeignPngFixtures.ToRgba(image.Pixels, image.Layout);
        for (int i = 0; i < expected.Length; i += 4)
        {
            Assert.Equal(expected[i + 3], got[i + 3]);
            if (expected[i + 3] == 255) Assert.Equal(expected.AsSpan(i, 3), got.AsSpan(i, 3));
        }
    }

    [Theory]
    [InlineData("im_palette8.png")]
    [InlineData("im_palette8.gif")]
    public void PaletteFilesDecodeToTheirColours(string name)
    {
        RasterImage image = ImageFile.Decode(ForeignPngFixtures.Read(name));

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
        RasterImage image = ImageFile.Decode(ForeignPngFixtures.Read("py_gray8_trns.png"));

        byte key = ForeignPngFixtures.Sample(0, 0, 0);
        byte[] got = ForeignPngFixtures.ToRgba(image.Pixels, image.Layout);
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 7; x++)
            {
                byte v = ForeignPngFixtures.Sample(x, y, 0);
                int o = (y * 7 + x) * 4;
                Assert.Equal(v == key ? 0 : 255, got[o + 3]);
                if (v != key) Assert.Equal(v, got[o]);
            }
    }
}
