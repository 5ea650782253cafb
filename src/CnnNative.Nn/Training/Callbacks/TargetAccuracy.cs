using System.Globalization;
using System.Text.Json.Nodes;

namespace CnnNative.Nn.Training;

/// <summary>
/// Ends the run after the first epoch whose test accuracy reaches <see cref="Target"/>, and
/// records how long that took — the time-to-accuracy measure of DAWNBench and MLPerf
/// ("train until the held-out accuracy reaches X, report the time"). It is a measurement, not
/// a way to pick a model: it watches the test set, which nothing else in training may do, so
/// use it to time a recipe, and early stopping on a validation split to train one.
/// <para>The time is the sum of the epochs' <see cref="EpochMetrics.Seconds"/> (training plus
/// the test passes, as metrics.csv records them; earlier epochs of a resumed run included);
/// the CPU time is this process's since the run started or resumed, all threads together. On a
/// machine shared with other work the wall time grows with the load while the CPU time does
/// not, so the CPU time divided by the threads is what the run would take alone.</para>
/// </summary>
public sealed class TargetAccuracy : TrainingCallback
{
    private TimeSpan _cpuAtStart;

    /// <summary>Stops at the first epoch whose test accuracy is at least <paramref name="target"/> (in (0, 1]).</summary>
    public TargetAccuracy(double target)
    {
        if (!(target > 0 && target <= 1))
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target accuracy must be in (0, 1], a fraction such as 0.92.");
        Target = target;
    }

    /// <summary>The test accuracy to reach.</summary>
    public double Target { get; }

    /// <summary>The 1-based epoch that first reached <see cref="Target"/>, or 0 while none has.</summary>
    public int ReachedEpoch { get; private set; }

    /// <summary>True once an epoch has reached <see cref="Target"/>.</summary>
    public bool Reached => ReachedEpoch > 0;

    /// <summary>The test accuracy of <see cref="ReachedEpoch"/>, or NaN.</summary>
    public double ReachedAccuracy { get; private set; } = double.NaN;

    /// <summary>Wall seconds of the epochs up to and including <see cref="ReachedEpoch"/> (training and test passes), or NaN.</summary>
    public double Seconds { get; private set; } = double.NaN;

    /// <summary>CPU seconds this process spent from the start (or resumption) of the run to the end of <see cref="ReachedEpoch"/>, or NaN.</summary>
    public double CpuSeconds { get; private set; } = double.NaN;

    /// <inheritdoc/>
    public override void Started(TrainingStart start)
    {
        if (Trainer.Test is null)
            throw new TrainingSetupException(
                $"A target accuracy of {Target.ToString(CultureInfo.InvariantCulture)} needs a test set to measure; give the trainer one.");
        _cpuAtStart = Environment.CpuUsage.TotalTime;
    }

    /// <inheritdoc/>
    public override void EpochDone(EpochMetrics metrics)
    {
        if (Reached || !(metrics.TestAccuracy >= Target)) return;
        ReachedEpoch = metrics.Epoch;
        ReachedAccuracy = metrics.TestAccuracy;
        Seconds = Trainer.History.Take(metrics.Epoch).Sum(m => m.Seconds);
        CpuSeconds = (Environment.CpuUsage.TotalTime - _cpuAtStart).TotalSeconds;
        Trainer.Stop($"Target reached: {this}.");
    }

    /// <summary>
    /// "test accuracy 0.9231 ≥ 0.92 after epoch 4 in 27.3 s (52.4 CPU-s)", or
    /// "test accuracy 0.92 not reached" before then.
    /// </summary>
    public override string ToString() => Reached
        ? string.Create(CultureInfo.InvariantCulture,
            $"test accuracy {ReachedAccuracy:F4} ≥ {Target} after epoch {ReachedEpoch} in {Seconds:F1} s ({CpuSeconds:F1} CPU-s)")
        : string.Create(CultureInfo.InvariantCulture, $"test accuracy {Target} not reached");

    /// <inheritdoc/>
    public override string StateKey => Key;

    /// <summary>The name its state has in a checkpoint's callback states.</summary>
    public const string Key = "target_accuracy";

    /// <inheritdoc/>
    public override JsonNode SaveState() => new JsonObject { ["target"] = Target };

    /// <summary>The target a checkpoint's run was measured against, or null when it had none.</summary>
    public static double? Saved(TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.CallbackStates.TryGetValue(Key, out var state) ? state["target"]?.GetValue<double>() : null;
    }
}
