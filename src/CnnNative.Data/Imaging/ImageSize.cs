namespace CnnNative.Data.Imaging;

/// <summary>The size limits every image type and codec applies, so that a hostile header cannot ask for gigabytes.</summary>
internal static class ImageSize
{
    /// <summary>2^28 pixels (16384 × 16384): four bytes each still fit a single .NET array.</summary>
    public const long MaxPixels = 1L << 28;

    public static void Check(int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"An image needs a positive width and height, got {width}×{height}.");
        if ((long)width * height > MaxPixels)
            throw new ArgumentException($"A {width}×{height} image has more than {MaxPixels} pixels, the limit.");
    }
}
