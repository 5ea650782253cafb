namespace CnnNative.Nn;

/// <summary>
/// A model cannot be built as described: an unknown layer type, a setting that does not
/// belong to its layer, shapes that do not connect, or sizes too large to be sensible.
/// The message names the layer and says what to change.
/// </summary>
public sealed class InvalidModelException(string message) : Exception(message);
