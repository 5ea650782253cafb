using CnnNative.Core;
using System.Globalization;
using System.Text.Json.Nodes;

namespace CnnNative.Nn.Training;

/// <summary>
/// Ends the run when <see cref="Monitor"/> has not improved (by more than <see cref="MinDelta"/>)
/// for <see cref="Patience"/> epochs in a row (Keras's EarlyStopping). The run then ends as
/// <see cref="TrainingOutcome.Stopped"/> after the epoch's checkpoint; the best epoch's weights
/// are what <see cref="KeepBestCheckpoint"/> keeps. Its best value and count are saved in
/// checkpoints, so a resumed run stops at the same epoch as an uninterrupted one.
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    /// <summary>Watches <paramref name="monitor"/> with <paramref name="patience"/> epochs of patience.</summary>
    public EarlyStopping(int patience, TrainingMetric monitor = TrainingMetric.ValidationLoss, double minDelta = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        if (!(minDelta >= 0 && double.IsFinite(minDelta)))
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "The minimum improvement must be zero or positive.");
        Patience = patience;
        Monitor = monitor;
        MinDelta = minDelta;
    }

    /// <summary>Epochs without improvement that end the run.</summary>
    public int Patience { get; }

    /// <summary>The metric watched.</summary>
    public TrainingMetric Monitor { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The 1-based epoch of <see cref="Best"/> (0 before the first).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; private set; }

    /// <inheritdoc/>
    public override void Started(TrainingStart start) => Monitor.CheckMeasured(Trainer, "early stopping");

    /// <inheritdoc/>
    public override void EpochDone(EpochMetrics metrics)
    {
        double value = Monitor.Value(metrics);
        if (Monitor.Improves(value, Best, MinDelta))
        {
            Best = value;
            BestEpoch = metrics.Epoch;
            EpochsWithoutImprovement = 0;
            return;
        }
        EpochsWithoutImprovement++;
        if (EpochsWithoutImprovement >= Patience)
            Trainer.Stop(string.Create(CultureInfo.InvariantCulture,
                $"Early stopping after epoch {metrics.Epoch}: the {Monitor.Describe()} has not improved for {Plural.Of(EpochsWithoutImprovement, "epoch")}; the best was {Best:F4} after epoch {BestEpoch}."));
    }

    /// <inheritdoc/>
    public override string StateKey => "early_stopping";

    /// <inheritdoc/>
    public override JsonNode SaveState() => new JsonObject
    {
        ["monitor"] = Monitor.ToString(),
        ["patience"] = Patience,
        ["min_delta"] = MinDelta,
        ["best"] = double.IsNaN(Best) ? null : Best,
        ["best_epoch"] = BestEpoch,
        ["wait"] = EpochsWithoutImprovement,
    };

    /// <inheritdoc/>
    public override void RestoreState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Best = state["best"]?.GetValue<double>() ?? double.NaN;
        BestEpoch = state["best_epoch"]?.GetValue<int>() ?? 0;
        EpochsWithoutImprovement = state["wait"]?.GetValue<int>() ?? 0;
    }
}
