namespace CnnNative.Core;

/// <summary>A convolution, pooling or normalisation geometry that cannot work (window does not fit, non-positive size).</summary>
public sealed class InvalidGeometryException(string message, string? paramName = null)
    : ArgumentException(message, paramName);
