using System.Text.Json;
using System.Text.Json.Serialization;
using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A sequential model as data: the layers up to the class scores (the softmax-with-loss is
/// implied), a default weight initialisation, and optionally the input shape and class count
/// it was built for. This is what a JSON model file holds and what a checkpoint stores.
/// <code>
/// { "name": "my-net", "init": "he",
///   "layers": [ { "type": "conv", "filters": 16, "kernel": 3, "pad": 1 }, { "type": "relu" },
///               { "type": "maxpool", "size": 2 }, { "type": "affine", "units": 10 } ] }
/// </code>
/// </summary>
public sealed record ModelSpec
{
    /// <summary>A label for reports ("simple-conv" for presets).</summary>
    public string? Name { get; init; }

    /// <summary>Input shape of one sample ([1, 28, 28]); filled in when the model is built for data, checked when present.</summary>
    public int[]? Input { get; init; }

    /// <summary>Number of classes; filled in when built, checked when present.</summary>
    public int? Classes { get; init; }

    /// <summary>Default weight initialisation for conv and affine layers (default: 0.01·N(0, 1), the book's).</summary>
    public WeightInit? Init { get; init; }

    /// <summary>The layers up to the class scores.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; init; } = [];

    /// <summary>The loss after the scores (default: the seed's softmax cross-entropy).</summary>
    public LossSpec? Loss { get; init; }

    /// <summary>The weight initialisation layers without their own use.</summary>
    [JsonIgnore]
    public WeightInit DefaultInit => Init ?? WeightInit.Book;

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>The model file's text: indented JSON that <see cref="FromJson"/> reads back to an equal spec.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a model file's text; malformed JSON or unknown settings give an <see cref="InvalidModelException"/> with the position.</summary>
    public static ModelSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"The model description is not valid: {Describe(e)}");
        }
        if (spec is null) throw new InvalidModelException("The model description is empty (JSON null).");
        if (spec.Layers is null || spec.Layers.Count == 0)
            throw new InvalidModelException("The model has no layers; add a \"layers\" list such as [{ \"type\": \"affine\", \"units\": 10 }].");
        for (int i = 0; i < spec.Layers.Count; i++)
            if (spec.Layers[i] is null) throw new InvalidModelException($"Layer {i + 1} of the model is null.");
        RejectUnknownSettings(spec.Layers, "");
        return spec;
    }

    /// <summary>Reads a JSON model file.</summary>
    public static ModelSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = RegularFile.ReadAllText(path);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"The model file '{path}' does not exist. Use a preset ({string.Join(", ", ModelPresets.Names)}) or the path of a JSON model file.", path, e);
        }
        catch (NotARegularFileException e)
        {
            throw new InvalidModelException($"The model file '{path}': {e.Problem} Give a preset ({string.Join(", ", ModelPresets.Names)}) or the path of a JSON model file.");
        }
        try
        {
            return FromJson(json);
        }
        catch (InvalidModelException e)
        {
            throw new InvalidModelException($"{path}: {e.Message}");
        }
    }

    /// <summary>A preset name, or else the path of a JSON model file.</summary>
    public static ModelSpec FromPresetOrFile(string presetOrPath, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(presetOrPath);
        if (ModelPresets.TryCreate(presetOrPath, classes, out var preset)) return preset;
        if (File.Exists(presetOrPath) || Directory.Exists(presetOrPath)) return Load(presetOrPath); // Load explains a folder
        throw new InvalidModelException(
            $"'{presetOrPath}' is neither a preset ({string.Join(", ", ModelPresets.Names)}) nor an existing model file.");
    }

    /// <summary>
    /// Checks the whole model for an input of shape <paramref name="input"/> (one sample,
    /// [C, H, W] or [D]) and <paramref name="classes"/> classes without allocating anything:
    /// types, settings, names, shapes through every layer, sizes. Returns each layer's shapes
    /// and parameter count.
    /// </summary>
    /// <param name="input">One sample's shape.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="registry">Where layer types registered in code are found (default <see cref="LayerRegistry.Default"/>).</param>
    public ModelSummary Validate(TensorShape input, int classes, LayerRegistry? registry = null) =>
        new(ModelPlanner.Plan(this, input, classes, registry));

    /// <summary>Validates against <see cref="Input"/> and <see cref="Classes"/>, which must be present.</summary>
    public ModelSummary Validate(LayerRegistry? registry = null)
    {
        if (Input is null || Classes is null)
            throw new InvalidModelException("The model does not say its input shape and class count; validate it for a data set's shape instead.");
        return Validate(new TensorShape(Input), Classes.Value, registry);
    }

    /// <summary>
    /// This spec with <see cref="Input"/> and <see cref="Classes"/> set (what a checkpoint
    /// stores). A spec that already states them must agree with the data: a model file saying
    /// "input": [3, 32, 32] trained on 28×28 grey images is a mistake to report, not a value to
    /// replace quietly.
    /// </summary>
    public ModelSpec For(TensorShape input, int classes)
    {
        if (Input is not null && !Input.AsSpan().SequenceEqual(input.Dimensions.AsSpan()))
            throw new InvalidModelException(
                $"The model says its input is [{string.Join(", ", Input)}] but the data's samples are [{string.Join(", ", input.Dimensions)}]. Fix or remove \"input\" in the model file (it is filled in from the data when absent).");
        if (Classes is not null && Classes != classes)
            throw new InvalidModelException(
                $"The model says it has {Classes} classes but the data has {classes}. Fix or remove \"classes\" in the model file (it is filled in from the data when absent).");
        return this with { Input = [.. input.Dimensions], Classes = classes };
    }

    /// <summary>Value equality over everything a model file holds (the same model, the same settings).</summary>
    public bool Equals(ModelSpec? other) =>
        other is not null
        && Name == other.Name
        && Classes == other.Classes
        && Init == other.Init
        && Loss == other.Loss
        && (Input is null ? other.Input is null : other.Input is not null && Input.AsSpan().SequenceEqual(other.Input))
        && (Layers ?? []).SequenceEqual(other.Layers ?? []);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(Classes);
        hash.Add(Init);
        hash.Add(Loss);
        if (Input is not null) foreach (int d in Input) hash.Add(d);
        foreach (var layer in Layers ?? []) hash.Add(layer);
        return hash.ToHashCode();
    }

    /// <summary>
    /// Built-in types take only the settings <see cref="LayerSpec"/> names; anything else the
    /// JSON held landed in <see cref="LayerSpec.Settings"/> (kept for registered types, whose
    /// settings the planner checks) and is a typo here.
    /// </summary>
    private static void RejectUnknownSettings(IReadOnlyList<LayerSpec>? layers, string where)
    {
        if (layers is null) return;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer is null) continue;
            string at = $"{where}layer {i + 1}{(layer.Name is null ? "" : $" ('{layer.Name}')")}";
            if (LayerTypes.Canonical(layer.Type) is not null && layer.Settings is { Count: > 0 } extra)
                throw new InvalidModelException(
                    $"The model description is not valid: unknown setting \"{extra.Keys.First()}\" in {at} ({layer.Type}). {SettingsHelp}");
            RejectUnknownSettings(layer.Body, at + " › body ");
            RejectUnknownSettings(layer.Shortcut, at + " › shortcut ");
            RejectUnknownSettings(layer.Layers, at + " › ");
        }
    }

    private const string SettingsHelp =
        "Layer settings are: type, name, filters, units, kernel, size, stride, pad, ratio, perActivation, init, slope, body, shortcut, layers; model settings: name, input, classes, init, loss (type, labelSmoothing), layers.";

    private static string Describe(JsonException e)
    {
        string where = e.Path is null ? "" : $" (at {e.Path}{(e.LineNumber is long line ? $", line {line + 1}" : "")})";
        string message = e.Message;
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        message = FriendlyTypeNames.Rewrite(message);
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            message = $"unknown setting{where}. {SettingsHelp}";
        else
            message += where;
        return message;
    }
}
