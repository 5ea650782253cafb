using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CnnNative.Nn.Training;

namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// Everything a model checkpoint says besides its tensors, kept in the safetensors header's
/// <c>__metadata__</c> (string → string): the model spec, the class names, the
/// hyper-parameters, the data-order position and step counters, and the metrics of the
/// finished epochs. The position is also written as plain keys (<c>epoch</c>, <c>batch</c>,
/// <c>seed</c>, …) so any safetensors reader can see where a run stopped.
/// </summary>
/// <param name="Model">The spec with its input shape and class count filled in.</param>
/// <param name="ClassNames">One name per class, in label order.</param>
/// <param name="Settings">Hyper-parameters of the run.</param>
/// <param name="State">Where the run stands.</param>
/// <param name="History">Metrics of the finished epochs, oldest first.</param>
/// <param name="Provider">The provider that wrote the checkpoint (informational; any provider can load it).</param>
public sealed record CheckpointMetadata(
    ModelSpec Model,
    IReadOnlyList<string> ClassNames,
    TrainingSettings Settings,
    TrainingState State,
    IReadOnlyList<EpochMetrics> History,
    string Provider)
{
    /// <summary>Written under <see cref="Keys.Format"/>; a reader refuses formats it does not know.</summary>
    public const string FormatVersion = "cnnnative-checkpoint-1";

    /// <summary>The metadata keys.</summary>
    public static class Keys
    {
        public const string Format = "format";
        public const string Model = "model";
        public const string Classes = "classes";
        public const string Hyperparameters = "hyperparameters";
        public const string Epoch = "epoch";
        public const string Batch = "batch";
        public const string Seed = "seed";
        public const string OptimizerSteps = "optimizer_steps";
        public const string NetworkStep = "network_step";
        public const string EpochLossSum = "epoch_loss_sum";
        public const string EpochCorrect = "epoch_correct";
        public const string EpochSamples = "epoch_samples";
        public const string EpochTrainSeconds = "epoch_train_seconds";
        public const string Metrics = "metrics";
        public const string Provider = "provider";
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The string dictionary stored in the header.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var inv = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Keys.Format] = FormatVersion,
            [Keys.Model] = Model.ToJson(),
            [Keys.Classes] = JsonSerializer.Serialize(ClassNames, Json),
            [Keys.Hyperparameters] = JsonSerializer.Serialize(Settings, Json),
            [Keys.Epoch] = State.Epoch.ToString(inv),
            [Keys.Batch] = State.Batch.ToString(inv),
            [Keys.Seed] = Settings.Seed.ToString(inv),
            [Keys.OptimizerSteps] = State.OptimizerSteps.ToString(inv),
            [Keys.NetworkStep] = State.NetworkStep.ToString(inv),
            // "R" round-trips the float exactly: the resumed epoch's loss must add up bit for bit.
            [Keys.EpochLossSum] = State.EpochLossSum.ToString("R", inv),
            [Keys.EpochCorrect] = State.EpochCorrect.ToString(inv),
            [Keys.EpochSamples] = State.EpochSamples.ToString(inv),
            [Keys.EpochTrainSeconds] = State.EpochTrainSeconds.ToString("R", inv),
            [Keys.Metrics] = JsonSerializer.Serialize(History, Json),
            [Keys.Provider] = Provider,
        };
    }

    /// <summary>Parses the header metadata of <paramref name="path"/>; anything missing or malformed is a <see cref="CheckpointException"/>.</summary>
    public static CheckpointMetadata Parse(string path, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var reader = new Reader(path, metadata);
        string format = reader.Text(Keys.Format);
        if (format != FormatVersion)
            throw new CheckpointException(path, $"its format is '{format}', but this version reads '{FormatVersion}'.",
                "Use a checkpoint written by this version of `cnn train`.");

        ModelSpec model;
        try
        {
            model = ModelSpec.FromJson(reader.Text(Keys.Model));
        }
        catch (InvalidModelException e)
        {
            throw new CheckpointException(path, $"its model description is invalid ({e.Message}).", "The file is corrupt; use another checkpoint.");
        }
        if (model.Input is null || model.Classes is null)
            throw new CheckpointException(path, "its model description lacks the input shape or class count.", "The file is corrupt; use another checkpoint.");

        var classes = reader.Json<string[]>(Keys.Classes);
        if (classes.Length != model.Classes)
            throw new CheckpointException(path, $"it names {classes.Length} classes but its model has {model.Classes}.", "The file is corrupt; use another checkpoint.");
        var settings = reader.Json<TrainingSettings>(Keys.Hyperparameters);
        if (settings.Optimizer is null)
            throw new CheckpointException(path, "its hyper-parameters name no optimizer.", "The file is corrupt; use another checkpoint.");

        var state = new TrainingState(
            reader.Int(Keys.Epoch), reader.Int(Keys.Batch),
            reader.Long(Keys.OptimizerSteps), reader.Long(Keys.NetworkStep),
            reader.Float(Keys.EpochLossSum), reader.Long(Keys.EpochCorrect),
            reader.Long(Keys.EpochSamples), reader.Double(Keys.EpochTrainSeconds));
        if (reader.ULong(Keys.Seed) != settings.Seed)
            throw new CheckpointException(path, "its 'seed' and its hyper-parameters disagree.", "The file is corrupt; use another checkpoint.");
        var history = reader.Json<EpochMetrics[]>(Keys.Metrics);
        return new CheckpointMetadata(model, classes, settings, state, history, reader.Text(Keys.Provider));
    }

    /// <summary>Reads typed values, turning every problem into one sentence naming the key.</summary>
    private readonly struct Reader(string path, IReadOnlyDictionary<string, string> metadata)
    {
        public string Text(string key) =>
            metadata.TryGetValue(key, out var value)
                ? value
                : throw new CheckpointException(path, $"its header has no '{key}' metadata, so it was not written by `cnn train`.",
                    "Pass a model.safetensors from a cnn training run folder.");

        public int Int(string key) =>
            int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : throw Bad(key);

        public long Long(string key) =>
            long.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0 ? v : throw Bad(key);

        public ulong ULong(string key) =>
            ulong.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v) ? v : throw Bad(key);

        public float Float(string key) =>
            float.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : throw Bad(key);

        public double Double(string key) =>
            double.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Bad(key);

        public T Json<T>(string key) where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(Text(key), CheckpointMetadata.Json) ?? throw Bad(key);
            }
            catch (JsonException)
            {
                throw Bad(key);
            }
        }

        private CheckpointException Bad(string key) =>
            new(path, $"its '{key}' metadata '{Shorten(metadata[key])}' is malformed.", "The file is corrupt; use another checkpoint.");

        private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
    }
}
