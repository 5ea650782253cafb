using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class ImageFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cnn-imagefile-").FullName;

    [Fact]
    public void SaveChoosesTheFormatByExtensionAndLoadReadsThemBack()
    {
        var image = new GrayImage(16, 8, Enumerable.Range(0, 128).Select(i => (byte)(i * 2)).ToArray());
        string png = Path.Combine(_folder, "a.png"), pgm = Path.Combine(_folder, "a.PGM"), jpeg = Path.Combine(_folder, "a.jpg");

        ImageFile.Save(png, image);
        ImageFile.Save(pgm, image);
        ImageFile.Save(jpeg, image);

        Assert.Equal(PngTestFiles.Signature, File.ReadAllBytes(png)[..8]);
        Assert.True(PgmCodec.IsPgm(File.ReadAllBytes(pgm)));
        Assert.Equal([0xFF, 0xD8], File.ReadAllBytes(jpeg)[..2]);
        Assert.Equal(image.Pixels, ImageFile.LoadGray(png).Pixels);
        Assert.Equal(image.Pixels, ImageFile.LoadGray(pgm).Pixels);
        byte[] lossy = ImageFile.LoadGray(jpeg).Pixels;
        for (int i = 0; i < lossy.Length; i++) Assert.InRange(lossy[i] - image.Pixels[i], -6, 6);
        Assert.Equal(3, Directory.GetFiles(_folder).Length); // no temporary files left
    }

    [Theory]
    [InlineData(PixelLayout.Gray)]
    [InlineData(PixelLayout.GrayAlpha)]
    [InlineData(PixelLayout.Rgb)]
    [InlineData(PixelLayout.Rgba)]
    public void PngRoundTripsEveryLayout(PixelLayout layout)
    {
        byte[] samples = ForeignPngFixtures.Interleaved(9, 7, (int)layout);
        if (layout is PixelLayout.GrayAlpha or PixelLayout.Rgba)
            for (int i = (int)layout - 1; i < samples.Length; i += (int)layout) samples[i] = 255; // opaque: transparent colours are not kept

        RasterImage back = ImageFile.Decode(ImageFile.EncodePng(new RasterImage(9, 7, layout, samples)));

        ForeignPngFixtures.AssertPixels(back, 9, 7, layout, samples);
    }

    [Fact]
    public void WebpAndJpegMadeBySkiaAreRead()
    {
        var image = new RasterImage(12, 10, PixelLayout.Rgb, ForeignPngFixtures.Interleaved(12, 10, 3));
        ForeignPngFixtures.AssertPixels(ImageFile.Decode(ImageFixtures.WebpLossless(image)), 12, 10, PixelLayout.Rgb, image.Pixels);

        // JPEG subsamples colour, so it gets a smooth picture: gradients in each channel.
        var smooth = new byte[16 * 16 * 3];
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                (smooth[(y * 16 + x) * 3], smooth[(y * 16 + x) * 3 + 1], smooth[(y * 16 + x) * 3 + 2]) = ((byte)(x * 16), (byte)(y * 16), (byte)(128 + x * 4));
        var gradient = new RasterImage(16, 16, PixelLayout.Rgb, smooth);
        ForeignPngFixtures.AssertPixels(ImageFile.Decode(ImageFixtures.Jpeg(gradient, 100)), 16, 16, PixelLayout.Rgb, smooth, tolerance: 16);
    }

    [Fact]
    public void JpegDecodesAtAReducedScaleWhenAskedForASmallSize()
    {
        var big = new RasterImage(256, 192, PixelLayout.Rgb, new byte[256 * 192 * 3]);
        byte[] jpeg = ImageFixtures.Jpeg(big);

        RasterImage small = ImageFile.Decode(jpeg, atLeast: (24, 24));

        Assert.Equal((64, 48), (small.Width, small.Height)); // the 1/4 scale, the smallest at least twice 24 on both sides
        Assert.Equal((256, 192), (ImageFile.Decode(jpeg).Width, ImageFile.Decode(jpeg).Height));
    }

    [Fact]
    public void SaveIntoAMissingFolderFailsAndWritesNothing()
    {
        string path = Path.Combine(_folder, "missing", "out.png");

        Assert.ThrowsAny<IOException>(() => ImageFile.Save(path, new GrayImage(1, 1)));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void LoadGrayConvertsColourWithLuma()
    {
        string path = Path.Combine(_folder, "red.png");
        ImageFile.Save(path, new RasterImage(1, 1, PixelLayout.Rgb, [255, 0, 0]));

        Assert.Equal([76], ImageFile.LoadGray(path).Pixels);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
