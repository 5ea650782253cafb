namespace CnnNative.Core;

/// <summary>A tensor was passed to a provider that did not allocate it, or was already disposed.</summary>
public sealed class ForeignTensorException(string message, string? paramName = null)
    : ArgumentException(message, paramName);
