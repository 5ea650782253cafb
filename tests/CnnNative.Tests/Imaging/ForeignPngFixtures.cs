using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>
/// The pixel formulas behind Fixtures/*.png (written by Fixtures/make_fixtures.py with Python's
/// zlib, and by ImageMagick); keep them identical to the script's.
/// </summary>
internal static class ForeignPngFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public static byte Sample(int x, int y, int c) => (byte)((x * 37 + y * 91 + c * 53 + x * y * 7 + 11) & 255);

    public static int LowBitSample(int x, int y, int depth) => (x * 3 + y * 5 + x * y) % (1 << depth);

    public static (byte R, byte G, byte B) PaletteEntry(int i) => ((byte)((i * 23) & 255), (byte)((i * 71) & 255), (byte)((i * 113) & 255));

    public const int PaletteSize = 11;

    public static int PaletteIndex(int x, int y) => (x + 2 * y) % PaletteSize;

    /// <summary>tRNS covers the first five palette entries with alpha i·50; the rest are opaque.</summary>
    public static byte PaletteAlpha(int i) => i < 5 ? (byte)(i * 50) : (byte)255;

    /// <summary>The formula image, interleaved with <paramref name="channels"/> samples per pixel.</summary>
    public static byte[] Interleaved(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    pixels[(y * width + x) * channels + c] = Sample(x, y, c);
        return pixels;
    }

    public static void AssertPixels(RasterImage image, int width, int height, PixelLayout layout, byte[] expected)
    {
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(layout, image.Layout);
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != image.Pixels[i])
                Assert.Fail($"Sample {i} (pixel {i / image.Channels % width}, {i / image.Channels / width}, channel {i % image.Channels}) is {image.Pixels[i]}, expected {expected[i]}.");
    }
}
