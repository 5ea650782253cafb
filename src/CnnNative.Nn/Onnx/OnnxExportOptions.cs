namespace CnnNative.Nn.Onnx;

/// <summary>
/// How <see cref="OnnxExporter"/> names and labels the model it writes. The defaults give a
/// graph with input <c>input</c> [batch, C, H, W] and outputs <c>scores</c> [batch, classes]
/// (the class scores <see cref="Network.Predict"/> returns) and <c>probabilities</c> (their softmax).
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>The ai.onnx operator set version, <see cref="OnnxExporter.MinOpset"/> to <see cref="OnnxExporter.MaxOpset"/> (default 17).</summary>
    public int Opset { get; init; } = OnnxExporter.MaxOpset;

    /// <summary>Name of the graph input (default "input").</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the class-score output (default "scores").</summary>
    public string ScoresName { get; init; } = "scores";

    /// <summary>Name of the softmax output, or null for no softmax output (default "probabilities").</summary>
    public string? ProbabilitiesName { get; init; } = "probabilities";

    /// <summary>One name per class in label order, written to the metadata as <c>class_names</c> (a JSON array); null leaves it out.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// What the input must have had done to it after decoding (the checkpoint's
    /// <see cref="Checkpoints.CheckpointMetadata.Preprocessing"/>). It stays outside the graph, as in
    /// the ONNX model zoo's VGG: written to the metadata as <c>preprocess</c> (its name) and said
    /// in the model's description; null or none writes nothing and describes values in [0, 1].
    /// </summary>
    public CnnNative.Data.Preprocessing? Preprocessing { get; init; }

    /// <summary>Further metadata entries (key → value) written beside the exporter's own.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
