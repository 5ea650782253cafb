using System.Globalization;
using CnnNative.Core;
using CnnNative.Nn.Training;

namespace CnnNative.Cli.Commands;

/// <summary>
/// Training progress as plain lines, for logs and pipes: a line about every 10 % of an epoch
/// with the running loss and accuracy, and one line per finished epoch.
/// </summary>
internal sealed class TrainProgressLines(TextWriter output) : TrainingCallback
{
    private int _epochs;
    private int _lastTenth;

    public override void Started(TrainingStart start)
    {
        _epochs = start.Epochs;
        _lastTenth = start.FirstBatch * 10 / Math.Max(1, start.BatchesPerEpoch);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training {(start.FirstEpoch == start.Epochs ? $"epoch {start.Epochs}" : $"epochs {start.FirstEpoch}–{start.Epochs}")}: {Plural.Of(start.BatchesPerEpoch, "batch", "batches")} ({Plural.Of(start.TrainSamples, "image")}) per epoch, then {(start.ValidationSamples > 0 ? $"the {Plural.Of(start.ValidationSamples, "validation image")} and " : "")}the {Plural.Of(start.TestSamples, "test image")}"));
    }

    public override void BatchDone(in BatchProgress p)
    {
        if (!p.HasMetrics || p.Batch >= p.BatchesPerEpoch) return;
        int tenth = p.Batch * 10 / p.BatchesPerEpoch;
        if (tenth <= _lastTenth) return;
        _lastTenth = tenth;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{_epochs} {(int)(p.EpochFraction * 100),3}% of the epoch  batch {p.Batch}/{p.BatchesPerEpoch}  loss {p.RunningLoss:F4}  train accuracy {p.RunningAccuracy:F4}"));
    }

    public override void Evaluating(int epoch) { }

    public override void EpochDone(EpochMetrics m)
    {
        _lastTenth = 0;
        output.WriteLine(Format(m, _epochs));
    }

    /// <summary>The per-epoch line both displays print.</summary>
    internal static string Format(EpochMetrics m, int epochs) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {m.Epoch}/{epochs}: loss {m.Loss:F4}  train accuracy {m.TrainAccuracy:F4}{(m.HasValidation ? $"  validation loss {m.ValidationLoss:F4} accuracy {m.ValidationAccuracy:F4}" : "")}  test accuracy {m.TestAccuracy:F4}{(double.IsNaN(m.LearningRate) ? "" : $"  lr {m.LearningRate:G4}")}  {m.ImagesPerSecond:F0} images/s  {m.Seconds:F1} s");
}
