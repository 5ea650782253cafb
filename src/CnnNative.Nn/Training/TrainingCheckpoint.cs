using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CnnNative.Nn.Checkpoints;

namespace CnnNative.Nn.Training;

/// <summary>
/// The trainer's part of a checkpoint: the settings, where the run stands and the metrics of
/// the finished epochs, kept as extra keys of the <see cref="CheckpointMetadata"/> so that a
/// resume continues exactly. The position is written as plain keys (<c>epoch</c>,
/// <c>batch</c>, <c>optimizer_steps</c>, …) so any safetensors reader can see where a run stopped.
/// </summary>
/// <param name="Settings">Hyper-parameters of the run.</param>
/// <param name="State">Where the run stands.</param>
/// <param name="History">Metrics of the finished epochs, oldest first.</param>
public sealed record TrainingCheckpoint(
    TrainingSettings Settings,
    TrainingState State,
    IReadOnlyList<EpochMetrics> History)
{
    /// <summary>The saved states of the run's callbacks, by <see cref="TrainingCallback.StateKey"/>.</summary>
    public IReadOnlyDictionary<string, JsonNode> CallbackStates { get; init; } = new Dictionary<string, JsonNode>();

    /// <summary>The metadata keys the trainer writes.</summary>
    public static class Keys
    {
        /// <summary><see cref="TrainingSettings"/> as JSON.</summary>
        public const string Hyperparameters = "hyperparameters";

        /// <summary><see cref="TrainingState.Epoch"/>.</summary>
        public const string Epoch = "epoch";

        /// <summary><see cref="TrainingState.Batch"/>.</summary>
        public const string Batch = "batch";

        /// <summary><see cref="TrainingState.OptimizerSteps"/>.</summary>
        public const string OptimizerSteps = "optimizer_steps";

        /// <summary><see cref="TrainingState.NetworkStep"/>.</summary>
        public const string NetworkStep = "network_step";

        /// <summary><see cref="TrainingState.EpochLossSum"/>.</summary>
        public const string EpochLossSum = "epoch_loss_sum";

        /// <summary><see cref="TrainingState.EpochCorrect"/>.</summary>
        public const string EpochCorrect = "epoch_correct";

        /// <summary><see cref="TrainingState.EpochSamples"/>.</summary>
        public const string EpochSamples = "epoch_samples";

        /// <summary><see cref="TrainingState.EpochTrainSeconds"/>.</summary>
        public const string EpochTrainSeconds = "epoch_train_seconds";

        /// <summary>The finished epochs' <see cref="EpochMetrics"/> as a JSON array.</summary>
        public const string Metrics = "metrics";

        /// <summary>The callbacks' states as a JSON object keyed by <see cref="TrainingCallback.StateKey"/> (optional).</summary>
        public const string Callbacks = "callbacks";
    }

    /// <summary>The keys and values to store in <see cref="CheckpointMetadata.Properties"/>.</summary>
    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var inv = CultureInfo.InvariantCulture;
        var callbacks = new JsonObject();
        foreach (var (key, state) in CallbackStates) callbacks[key] = state.DeepClone();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Keys.Callbacks] = callbacks.ToJsonString(),
            [Keys.Hyperparameters] = JsonSerializer.Serialize(Settings, MetadataReader.JsonOptions),
            [Keys.Epoch] = State.Epoch.ToString(inv),
            [Keys.Batch] = State.Batch.ToString(inv),
            [Keys.OptimizerSteps] = State.OptimizerSteps.ToString(inv),
            [Keys.NetworkStep] = State.NetworkStep.ToString(inv),
            // "R" round-trips the float exactly: the resumed epoch's loss must add up bit for bit.
            [Keys.EpochLossSum] = State.EpochLossSum.ToString("R", inv),
            [Keys.EpochCorrect] = State.EpochCorrect.ToString(inv),
            [Keys.EpochSamples] = State.EpochSamples.ToString(inv),
            [Keys.EpochTrainSeconds] = State.EpochTrainSeconds.ToString("R", inv),
            [Keys.Metrics] = JsonSerializer.Serialize(History, MetadataReader.JsonOptions),
        };
    }

    /// <summary>
    /// The metadata of a checkpoint of <paramref name="network"/> at this point of the run, trained
    /// on images with <paramref name="preprocessing"/> (none when null).
    /// </summary>
    public CheckpointMetadata ToMetadata(Network network, IReadOnlyList<string> classNames, CnnNative.Data.Preprocessing? preprocessing = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(classNames);
        return new CheckpointMetadata(network.Spec, classNames, network.Seed, network.Provider.Name)
        {
            Properties = ToProperties(),
            Preprocessing = preprocessing ?? CnnNative.Data.Preprocessing.None,
        };
    }

    /// <summary>Reads the trainer's part of <paramref name="checkpoint"/>; a missing or malformed key is a <see cref="CheckpointException"/>.</summary>
    public static TrainingCheckpoint Read(ModelCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        string path = checkpoint.Path;
        var reader = new MetadataReader(path, checkpoint.Metadata.Properties);
        var settings = reader.Json<TrainingSettings>(Keys.Hyperparameters);
        if (settings.Optimizer is null)
            throw new CheckpointException(path, "its hyper-parameters name no optimizer.", MetadataReader.Corrupt);
        try
        {
            // Checked here as the file's fault: checked later, a stored batch size of 0 would be
            // reported against the --batch-size the user never passed.
            settings.Validate();
        }
        catch (TrainingSetupException e)
        {
            throw new CheckpointException(path, $"its stored hyper-parameters are invalid: {e.Message}", MetadataReader.Corrupt);
        }
        var state = new TrainingState(
            reader.Int(Keys.Epoch), reader.Int(Keys.Batch),
            reader.Long(Keys.OptimizerSteps), reader.Long(Keys.NetworkStep),
            reader.Float(Keys.EpochLossSum), reader.Long(Keys.EpochCorrect),
            reader.Long(Keys.EpochSamples), reader.Double(Keys.EpochTrainSeconds));
        var history = reader.Json<EpochMetrics[]>(Keys.Metrics);
        var callbacks = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (reader.Has(Keys.Callbacks)) // older checkpoints have none
            foreach (var (key, value) in reader.Json<JsonObject>(Keys.Callbacks))
                if (value is not null) callbacks[key] = value.DeepClone();
        return new TrainingCheckpoint(settings, state, history) { CallbackStates = callbacks };
    }
}
