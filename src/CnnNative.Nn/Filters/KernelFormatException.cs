namespace CnnNative.Nn.Filters;

/// <summary>A custom kernel file that is not valid: not JSON, missing fields, ragged rows, even sides, non-finite numbers.</summary>
internal sealed class KernelFormatException : FormatException
{
    public KernelFormatException(string message) : base(message) { }

    public KernelFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
