using System.Text.Json;
using CnnNative.Core;

namespace CnnNative.Nn.Onnx;

/// <summary>
/// Writes a <see cref="Network"/> as an ONNX model for inference (ONNX Runtime, ML.NET, the
/// browser, mobile): input [batch, C, H, W] with a free batch dimension, output the class
/// scores [batch, classes] that <see cref="Network.Predict"/> returns, optionally their softmax,
/// and the class names and model spec in the metadata. Weights and batch-norm running
/// statistics are read from the network's provider as they are. See
/// <see cref="OnnxLayerEmitter"/> for each layer's ONNX form; a network that holds a layer
/// without one, non-finite weights or invalid options is refused with <see cref="OnnxExportException"/>.
/// <code>
/// using var network = ModelCheckpoint.Open("runs/x/model.safetensors").LoadNetwork(provider);
/// OnnxExporter.Export(network, "model.onnx", new OnnxExportOptions { ClassNames = names });
/// </code>
/// </summary>
public static class OnnxExporter
{
    /// <summary>Oldest operator set offered (ONNX 1.8, IR version 7).</summary>
    public const int MinOpset = 13;

    /// <summary>Newest operator set offered and the default (ONNX 1.12, IR version 8).</summary>
    public const int MaxOpset = 17;

    /// <summary>The name of the free batch dimension of the input and outputs.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Metadata key of the class names (a JSON array of strings, in label order).</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>Metadata key of the input preprocessing's name ("vgg"), written when there is one (see <see cref="OnnxExportOptions.Preprocessing"/>).</summary>
    public const string PreprocessKey = "preprocess";

    /// <summary>Metadata key of the model spec (the JSON of a model file).</summary>
    public const string ModelSpecKey = "cnnnative_model";

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="path"/> atomically (an existing file survives any failure).</summary>
    public static void Export(Network network, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] model = ToBytes(network, options);
        AtomicFile.WriteAllBytes(path, model);
    }

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="destination"/>.</summary>
    public static void Export(Network network, Stream destination, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(ToBytes(network, options));
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes (a serialised <c>ModelProto</c>).</summary>
    public static byte[] ToBytes(Network network, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return OnnxModelEncoder.Encode(Build(network, options ?? new OnnxExportOptions()));
    }

    internal static OnnxModel Build(Network network, OnnxExportOptions options)
    {
        CheckOptions(network, options);
        string[] reserved = options.ProbabilitiesName is null
            ? [options.InputName, options.ScoresName]
            : [options.InputName, options.ScoresName, options.ProbabilitiesName];
        var g = new OnnxGraphBuilder(reserved);
        var x = new OnnxValue(options.InputName, network.InputShape);
        x = OnnxLayerEmitter.Chain(network.Layers, x, g);
        x = OnnxLayerEmitter.Flat(x, g, "scores/flatten");
        g.NameOutput(x.Name, options.ScoresName);

        var batch = OnnxDim.Free(BatchDimension);
        var classes = new OnnxDim(network.Classes);
        var outputs = new List<OnnxValueInfo> { new(options.ScoresName, [batch, classes]) };
        if (options.ProbabilitiesName is string probabilities)
        {
            g.NameOutput(g.Node("Softmax", "softmax", [options.ScoresName], OnnxAttribute.Of("axis", 1L)), probabilities);
            outputs.Add(new OnnxValueInfo(probabilities, [batch, classes]));
        }
        OnnxDim[] inputDims = [batch, .. network.InputShape.Dimensions.Select(d => new OnnxDim(d))];

        return new OnnxModel(
            IrVersion: options.Opset <= 14 ? 7 : 8,
            options.Opset,
            GraphName: network.Spec.Name ?? "model",
            DocString: Describe(network, options),
            g.Nodes,
            g.Initializers,
            [new OnnxValueInfo(options.InputName, inputDims)],
            outputs,
            Metadata(network, options));
    }

    private static void CheckOptions(Network network, OnnxExportOptions options)
    {
        if (options.Opset is < MinOpset or > MaxOpset)
            throw new OnnxExportException($"Opset {options.Opset} is not offered; choose {MinOpset} to {MaxOpset} (the default, {MaxOpset}, loads in ONNX Runtime 1.12 and later).");
        string?[] names = [options.InputName, options.ScoresName, options.ProbabilitiesName];
        foreach (string? name in names)
            if (name is not null && string.IsNullOrWhiteSpace(name))
                throw new OnnxExportException("The input and output names must not be empty.");
        if (names.Where(n => n is not null).Distinct(StringComparer.Ordinal).Count() != names.Count(n => n is not null))
            throw new OnnxExportException($"The input and output names must differ, got '{string.Join("', '", names.Where(n => n is not null))}'.");
        if (options.ClassNames is { } classNames && classNames.Count != network.Classes)
            throw new OnnxExportException($"{classNames.Count} class names were given but the model has {network.Classes} classes.");
    }

    private static string Describe(Network network, OnnxExportOptions options)
    {
        string input = string.Join(", ", network.InputShape.Dimensions);
        string scaled = options.Preprocessing is { IsNone: false } p
            ? $"preprocessed '{p.Name}' as in training: {p.Description}. "
            : "scaled as in training (the cnn tool's data loader maps pixel values to [0, 1]). ";
        string text = $"CnnNative model '{network.Spec.Name ?? "model"}'. Input '{options.InputName}': float32 [batch, {input}], " + scaled +
            $"Output '{options.ScoresName}': float32 [batch, {network.Classes}] class scores (logits)";
        return options.ProbabilitiesName is null ? text + "." : text + $"; '{options.ProbabilitiesName}': their softmax.";
    }

    private static List<KeyValuePair<string, string>> Metadata(Network network, OnnxExportOptions options)
    {
        var entries = new List<KeyValuePair<string, string>>();
        if (options.ClassNames is { } names) entries.Add(new(ClassNamesKey, JsonSerializer.Serialize(names)));
        entries.Add(new(ModelSpecKey, network.Spec.ToJson()));
        if (options.Preprocessing is { IsNone: false } preprocessing) entries.Add(new(PreprocessKey, preprocessing.Name));
        foreach (var entry in options.Metadata ?? new Dictionary<string, string>())
        {
            if (entry.Key is ClassNamesKey or ModelSpecKey or PreprocessKey)
                throw new OnnxExportException($"The metadata key '{entry.Key}' is the exporter's own; use another key.");
            entries.Add(entry);
        }
        return entries;
    }
}
