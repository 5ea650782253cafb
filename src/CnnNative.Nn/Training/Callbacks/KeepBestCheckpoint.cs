using System.Globalization;
using System.Text.Json.Nodes;

namespace CnnNative.Nn.Training;

/// <summary>
/// Writes a checkpoint to <see cref="Path"/> after every epoch that improves <see cref="Monitor"/>
/// (Keras's ModelCheckpoint with save_best_only): the file always holds the best model so far,
/// with the metrics and position of its epoch, and resumes or evaluates like any checkpoint.
/// Its best value is saved in the trainer's checkpoints, so a resumed run keeps the same file.
/// </summary>
public sealed class KeepBestCheckpoint : TrainingCallback
{
    /// <summary>The conventional name of the best checkpoint, beside the last one.</summary>
    public const string FileName = "best.safetensors";

    /// <summary>Keeps the best model by <paramref name="monitor"/> in <paramref name="path"/>.</summary>
    public KeepBestCheckpoint(string path, TrainingMetric monitor = TrainingMetric.ValidationLoss)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Monitor = monitor;
    }

    /// <summary>Where the best checkpoint is written.</summary>
    public string Path { get; }

    /// <summary>The metric that decides which epoch is best.</summary>
    public TrainingMetric Monitor { get; }

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The 1-based epoch saved in <see cref="Path"/> (0 before the first).</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    public override void Started(TrainingStart start) => Monitor.CheckMeasured(Trainer, "keeping the best checkpoint");

    /// <inheritdoc/>
    public override void EpochDone(EpochMetrics metrics)
    {
        double value = Monitor.Value(metrics);
        if (!Monitor.Improves(value, Best)) return;
        Best = value;
        BestEpoch = metrics.Epoch;
        Trainer.SaveCheckpoint(Path);
    }

    /// <inheritdoc/>
    public override string StateKey => "keep_best";

    /// <inheritdoc/>
    public override JsonNode SaveState() => new JsonObject
    {
        ["monitor"] = Monitor.ToString(),
        ["best"] = double.IsNaN(Best) ? null : Best,
        ["best_epoch"] = BestEpoch,
    };

    /// <inheritdoc/>
    public override void RestoreState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Best = state["best"]?.GetValue<double>() ?? double.NaN;
        BestEpoch = state["best_epoch"]?.GetValue<int>() ?? 0;
    }

    /// <summary>"best validation loss 0.2710 after epoch 4" for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"best {Monitor.Describe()} {Best:F4} after epoch {BestEpoch}");
}
