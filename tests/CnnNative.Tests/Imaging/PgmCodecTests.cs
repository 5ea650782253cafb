using System.Text;
using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class PgmCodecTests
{
    [Fact]
    public void BinaryP5WithCommentIsRead()
    {
        byte[] file = [.. "P5\n# made by hand\n3 2\n255\n"u8, 0, 1, 2, 253, 254, 255];

        GrayImage image = PgmCodec.Decode(file);

        Assert.Equal(3, image.Width);
        Assert.Equal(2, image.Height);
        Assert.Equal([0, 1, 2, 253, 254, 255], image.Pixels);
    }

    [Fact]
    public void PlainP2WithCommentsAnywhereIsRead()
    {
        byte[] file = Encoding.ASCII.GetBytes("P2 # plain\n2 2 # size\n15\n0 15\n# a row comment\n  5\t10\n");

        GrayImage image = PgmCodec.Decode(file);

        Assert.Equal([0, 255, 85, 170], image.Pixels); // 15 → 255, scaled ×17
    }

    [Fact]
    public void SixteenBitP5IsScaledToEightBits()
    {
        byte[] file = [.. "P5 2 1 65535\n"u8, 0xFF, 0xFF, 0x80, 0x00];

        Assert.Equal([255, 128], PgmCodec.Decode(file).Pixels);
    }

    [Fact]
    public void EncodeThenDecodeRoundTrips()
    {
        var image = new GrayImage(4, 3, [.. Enumerable.Range(0, 12).Select(i => (byte)(i * 21))]);

        Assert.Equal(image.Pixels, PgmCodec.Decode(PgmCodec.Encode(image)).Pixels);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello", "not a PGM image")]
    [InlineData("P6\n1 1\n255\nabc", "P6 image; only gray PGM")]
    [InlineData("P5\n3", "header ends before the height")]
    [InlineData("P5\n0 3\n255\n", "zero size (0×3)")]
    [InlineData("P5\n2 2\n255\n\u0001\u0002\u0003", "truncated: it holds 3 bytes of pixels but 4 are needed")]
    [InlineData("P2\n2 2\n255\n1 2 3", "holds 3 of its 4 pixel values")]
    [InlineData("P2\n1 1\n10\n11", "pixel 0 has value 11, above the maximum value 10")]
    [InlineData("P2\nx 1\n10\n1", "width is not a whole number")]
    [InlineData("P5\n1 1\n70000\n", "maximum value 70000")]
    public void BadPgmGivesOneClearSentence(string text, string expected)
    {
        var error = Assert.Throws<ImageFormatException>(() => PgmCodec.Decode(Encoding.Latin1.GetBytes(text)));

        Assert.Contains(expected, error.Message);
        ImageBadInputTests.AssertOneSentence(error.Message, text);
    }

    [Fact]
    public void ImageFileRecognisesBothFormatsByContent()
    {
        byte[] pgm = PgmCodec.Encode(new GrayImage(2, 1, [7, 9]));
        byte[] png = ImageFile.EncodePng(new GrayImage(2, 1, [7, 9]));

        Assert.Equal([7, 9], ImageFile.Decode(pgm).Pixels);
        Assert.Equal([7, 9], ImageFile.Decode(png).Pixels);
        var error = Assert.Throws<ImageFormatException>(() => ImageFile.Decode("hello, not a picture at all: some text"u8));
        Assert.Contains("not an image this tool reads", error.Message);
    }

    [Fact]
    public void LoadNamesTheFileInItsError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cnn-bad-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, [.. PngTestFiles.Signature, 1, 2]);
        try
        {
            var error = Assert.Throws<ImageFormatException>(() => ImageFile.Load(path));
            Assert.StartsWith(path + ": The PNG file is truncated", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
