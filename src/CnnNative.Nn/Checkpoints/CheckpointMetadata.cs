using System.Globalization;
using System.Text.Json;
using CnnNative.Data;

namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// What a model checkpoint says besides its tensors, kept in the safetensors header's
/// <c>__metadata__</c> (string → string): the model spec, the class names, the seed the
/// network was built with and the provider that wrote it. Whoever writes the checkpoint may
/// add its own keys in <see cref="Properties"/> — the trainer keeps its settings, position and
/// metrics there (<c>CnnNative.Nn.Training.TrainingCheckpoint</c>) — so this layer knows
/// models, not training runs.
/// </summary>
/// <param name="Model">The spec with its input shape and class count filled in.</param>
/// <param name="ClassNames">One name per class, in label order.</param>
/// <param name="Seed">The seed the network was built with (weights, dropout masks).</param>
/// <param name="Provider">The provider that wrote the checkpoint (informational; any provider can load it).</param>
public sealed record CheckpointMetadata(
    ModelSpec Model,
    IReadOnlyList<string> ClassNames,
    ulong Seed,
    string Provider)
{
    /// <summary>Written under <see cref="Keys.Format"/>; a reader refuses formats it does not know.</summary>
    public const string FormatVersion = "cnnnative-checkpoint-1";

    /// <summary>The metadata keys this layer owns.</summary>
    public static class Keys
    {
        /// <summary>The format version.</summary>
        public const string Format = "format";

        /// <summary>The model spec as JSON.</summary>
        public const string Model = "model";

        /// <summary>The class names as a JSON array.</summary>
        public const string Classes = "classes";

        /// <summary>The network's seed.</summary>
        public const string Seed = "seed";

        /// <summary>The provider that wrote the file.</summary>
        public const string Provider = "provider";

        /// <summary>The input's <see cref="Data.Preprocessing"/> by name; absent means none (older checkpoints).</summary>
        public const string Preprocess = "preprocess";

        internal static bool IsOwn(string key) => key is Format or Model or Classes or Seed or Provider or Preprocess;
    }

    /// <summary>
    /// What the model's input must have had done to it after decoding (VGG's BGR and mean
    /// subtraction, say): whoever feeds the model images applies it. <see cref="Preprocessing.None"/> by default.
    /// </summary>
    public Preprocessing Preprocessing { get; init; } = Preprocessing.None;

    /// <summary>Further metadata of the writer's (the trainer's settings and position); never one of <see cref="Keys"/>.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The string dictionary stored in the header.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var inv = CultureInfo.InvariantCulture;
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Keys.Format] = FormatVersion,
            [Keys.Model] = Model.ToJson(),
            [Keys.Classes] = JsonSerializer.Serialize(ClassNames, MetadataReader.JsonOptions),
            [Keys.Seed] = Seed.ToString(inv),
            [Keys.Provider] = Provider,
        };
        if (!Preprocessing.IsNone) result[Keys.Preprocess] = Preprocessing.Name;
        foreach (var (key, value) in Properties)
        {
            if (Keys.IsOwn(key))
                throw new ArgumentException($"Checkpoint property '{key}' collides with a key the checkpoint itself writes.", nameof(Properties));
            result[key] = value;
        }
        return result;
    }

    /// <summary>Parses the header metadata of <paramref name="path"/>; anything missing or malformed is a <see cref="CheckpointException"/>.</summary>
    public static CheckpointMetadata Parse(string path, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var reader = new MetadataReader(path, metadata);
        string format = reader.Text(Keys.Format);
        if (format != FormatVersion)
            throw new CheckpointException(path, $"its format is '{format}', but this version reads '{FormatVersion}'.",
                "Use a checkpoint written by this version of CnnNative.");

        ModelSpec model;
        try
        {
            model = ModelSpec.FromJson(reader.Text(Keys.Model));
        }
        catch (InvalidModelException e)
        {
            throw new CheckpointException(path, $"its model description is invalid ({e.Message}).", MetadataReader.Corrupt);
        }
        if (model.Input is null || model.Classes is null)
            throw new CheckpointException(path, "its model description lacks the input shape or class count.", MetadataReader.Corrupt);

        var classes = reader.Json<string[]>(Keys.Classes);
        if (classes.Length != model.Classes)
            throw new CheckpointException(path, $"it names {classes.Length} classes but its model has {model.Classes}.", MetadataReader.Corrupt);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
            if (!Keys.IsOwn(key)) properties[key] = value;
        var preprocessing = Preprocessing.None;
        if (reader.Has(Keys.Preprocess))
        {
            try
            {
                preprocessing = Preprocessing.Parse(reader.Text(Keys.Preprocess));
                preprocessing.CheckChannels(model.Input[0]);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new CheckpointException(path, $"its input preprocessing is invalid ({e.Message}).", MetadataReader.Corrupt);
            }
        }
        return new CheckpointMetadata(model, classes, reader.ULong(Keys.Seed), reader.Text(Keys.Provider))
        {
            Properties = properties,
            Preprocessing = preprocessing,
        };
    }
}
