using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// Rewrites a run folder's metrics.csv after every epoch — the trainer has saved the epoch's
/// checkpoint by then — and only then passes the epoch on to the display, so whatever the
/// display does next (a report that reads the folder) sees both files current.
/// </summary>
internal sealed class MetricsRecorder(Trainer trainer, RunFolder output, ITrainingProgress display) : ITrainingProgress
{
    public void Started(TrainingStart start) => display.Started(start);

    public void BatchDone(in BatchProgress progress) => display.BatchDone(progress);

    public void Evaluating(int epoch) => display.Evaluating(epoch);

    public void EpochDone(EpochMetrics metrics)
    {
        output.WriteMetrics(trainer.History);
        display.EpochDone(metrics);
    }
}
