namespace CnnNative.Data.Imaging;

/// <summary>
/// What an image file may cost before anything is decoded. A PNG of 300 KB can claim
/// 16384 × 16384 pixels (a gigabyte once decoded), so every reader looks at the header first
/// and refuses an image above <see cref="MaxPixels"/>; and only regular files are read, at most
/// <see cref="MaxFileBytes"/> of them, so a FIFO, <c>/dev/zero</c> or a growing file cannot hang
/// or exhaust the tool. <c>cnn predict</c>, <c>cnn filter</c>, image-folder data sets and the
/// report all read through <see cref="ImageFile"/>, which applies these limits.
/// </summary>
public static class ImageLimits
{
    /// <summary>8192 × 8192 = 67,108,864 pixels (256 MiB as 8-bit RGBA): larger than any camera photo a CNN is fed.</summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>256 MiB: the most bytes read from one image file.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;
}
