namespace CnnNative.Data.Imaging;

/// <summary>
/// An image file that cannot be read: not a PNG or PGM, truncated, corrupt, or a variant this
/// codec does not support (16-bit, interlaced). The message is one sentence that says what is
/// wrong and, where there is one, what to do about it.
/// </summary>
public sealed class ImageFormatException : FormatException
{
    /// <summary>An unreadable image; <paramref name="message"/> starts with the path where one is known.</summary>
    public ImageFormatException(string message) : base(message) { }

    /// <summary>An unreadable image, with the decoder's own failure as <paramref name="innerException"/>.</summary>
    public ImageFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
