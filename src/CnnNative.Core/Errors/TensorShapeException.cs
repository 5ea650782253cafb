namespace CnnNative.Core;

/// <summary>A tensor's shape or length does not fit the operation (too short, mismatched, wrong rank).</summary>
public sealed class TensorShapeException(string message, string? paramName = null)
    : ArgumentException(message, paramName);
