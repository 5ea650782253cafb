using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>Our encoder's output decodes to the same pixels, for every layout, every filter and awkward sizes.</summary>
public sealed class PngRoundTripTests
{
    public static TheoryData<PixelLayout, int, int, PngFilterType?> Cases()
    {
        var data = new TheoryData<PixelLayout, int, int, PngFilterType?>();
        PngFilterType?[] filters = [null, PngFilterType.None, PngFilterType.Sub, PngFilterType.Up, PngFilterType.Average, PngFilterType.Paeth];
        foreach (PixelLayout layout in Enum.GetValues<PixelLayout>())
            foreach (PngFilterType? filter in filters)
                foreach (var (w, h) in new[] { (1, 1), (3, 7), (33, 5) })
                    data.Add(layout, w, h, filter);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodeThenDecodeGivesTheSamePixels(PixelLayout layout, int width, int height, PngFilterType? filter)
    {
        var random = new Random(width * 1000 + height * 10 + (int)layout);
        var pixels = new byte[width * height * (int)layout];
        random.NextBytes(pixels);
        var image = new RasterImage(width, height, layout, pixels);

        byte[] png = PngCodec.Encode(image, new PngEncoderOptions { Filter = filter });
        RasterImage decoded = PngCodec.Decode(png);

        ForeignPngFixtures.AssertPixels(decoded, width, height, layout, pixels);
        if (filter is { } chosen)
            Assert.All(PngTestFiles.RowFilterTypes(png, width * (int)layout, height), f => Assert.Equal((byte)chosen, f));
    }

    [Fact]
    public void AdaptiveFilteringPicksMoreThanOneFilterOnAGradient()
    {
        // A horizontal ramp favours Sub, a vertical one Up; the heuristic must notice.
        const int w = 64, h = 64;
        var pixels = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                pixels[y * w + x] = (byte)(y < h / 2 ? x * 4 : y * 4);
        byte[] png = PngCodec.Encode(new RasterImage(w, h, PixelLayout.Gray, pixels));

        Assert.True(PngTestFiles.RowFilterTypes(png, w, h).Distinct().Count() > 1);
        Assert.Equal(pixels, PngCodec.Decode(png).Pixels);
    }

    [Fact]
    public void LargeImageIsSplitIntoSeveralIdatChunksAndStillDecodes()
    {
        const int w = 700, h = 600; // ~1.2 MB of noise, more than one 1 MiB IDAT chunk
        var pixels = new byte[w * h * 3];
        new Random(7).NextBytes(pixels);
        byte[] png = PngCodec.Encode(new RasterImage(w, h, PixelLayout.Rgb, pixels),
            new PngEncoderOptions { Filter = PngFilterType.None, Compression = System.IO.Compression.CompressionLevel.Fastest });

        Assert.True(CountChunks(png, "IDAT") > 1);
        Assert.Equal(pixels, PngCodec.Decode(png).Pixels);
    }

    [Fact]
    public void GrayImageEncodesAsOneChannel()
    {
        var gray = new GrayImage(3, 2, [0, 50, 100, 150, 200, 250]);

        RasterImage decoded = PngCodec.Decode(PngCodec.Encode(gray));

        Assert.Equal(PixelLayout.Gray, decoded.Layout);
        Assert.Equal(gray.Pixels, decoded.Pixels);
    }

    [Fact]
    public void DecodeFromStreamMatchesDecodeFromBytes()
    {
        byte[] png = ForeignPngFixtures.Read("py_rgba8.png");
        using var stream = new MemoryStream(png);

        Assert.Equal(PngCodec.Decode(png).Pixels, PngCodec.Decode(stream).Pixels);
    }

    [Fact]
    public void CrcMatchesTheStandardCheckValue()
    {
        // The CRC-32 check value from the ISO 3309 / PNG specification's test vector.
        Assert.Equal(0xCBF43926u, Crc32.Compute("1234"u8, "56789"u8));
    }

    private static int CountChunks(byte[] png, string type)
    {
        int count = 0, position = 8;
        while (position < png.Length)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            if (System.Text.Encoding.ASCII.GetString(png, position + 4, 4) == type) count++;
            position += 12 + length;
        }
        return count;
    }
}
