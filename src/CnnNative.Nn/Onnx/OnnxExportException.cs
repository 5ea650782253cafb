namespace CnnNative.Nn.Onnx;

/// <summary>A network, or an export setting, that cannot be written as ONNX; the message says what and why.</summary>
public sealed class OnnxExportException(string message) : Exception(message);
