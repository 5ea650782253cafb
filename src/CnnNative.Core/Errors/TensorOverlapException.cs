namespace CnnNative.Core;

/// <summary>Two arguments share memory where the operation needs them distinct.</summary>
public sealed class TensorOverlapException(string message, string? paramName = null)
    : ArgumentException(message, paramName);
