namespace CnnNative.Data.Imaging;

/// <summary>
/// An image file that cannot be read: not a PNG or PGM, truncated, corrupt, or a variant this
/// codec does not support (16-bit, interlaced). The message is one sentence that says what is
/// wrong and, where there is one, what to do about it.
/// </summary>
public sealed class ImageFormatException : FormatException
{
    public ImageFormatException(string message) : base(message) { }

    public ImageFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
