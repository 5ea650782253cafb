using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>
/// The pixel formulas behind Fixtures/* (written by Fixtures/make_fixtures.py with Python's
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

    /// <summary>Any layout's samples as RGBA (gray repeated, alpha 255 when absent), to compare decoders that choose different layouts.</summary>
    public static byte[] ToRgba(byte[] samples, PixelLayout layout)
    {
        int channels = (int)layout, count = samples.Length / channels;
        var rgba = new byte[count * 4];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> p = samples.AsSpan(i * channels, channels);
            (byte r, byte g, byte b, byte a) = layout switch
            {
                PixelLayout.Gray => (p[0], p[0], p[0], (byte)255),
                PixelLayout.GrayAlpha => (p[0], p[0], p[0], p[1]),
                PixelLayout.Rgb => (p[0], p[1], p[2], (byte)255),
                _ => (p[0], p[1], p[2], p[3]),
            };
            rgba[4 * i] = r; rgba[4 * i + 1] = g; rgba[4 * i + 2] = b; rgba[4 * i + 3] = a;
        }
        return rgba;
    }

    /// <summary>
    /// Asserts that <paramref name="image"/> shows <paramref name="expected"/> (given in
    /// <paramref name="layout"/>), comparing as RGBA, every sample within <paramref name="tolerance"/>.
    /// </summary>
    public static void AssertPixels(RasterImage image, int width, int height, PixelLayout layout, byte[] expected, int tolerance = 0)
    {
        Assert.Equal((width, height), (image.Width, image.Height));
        byte[] want = ToRgba(expected, layout), got = ToRgba(image.Pixels, image.Layout);
        for (int i = 0; i < want.Length; i++)
            if (Math.Abs(want[i] - got[i]) > tolerance)
                Assert.Fail($"Sample {i} (pixel {i / 4 % width}, {i / 4 / width}, channel {i % 4}) is {got[i]}, expected {want[i]} ± {tolerance}.");
    }
}
