using CnnNative.Nn.Training;

namespace CnnNative.Tests.Training;

/// <summary>
/// Records what a trainer reports and can pull the trigger at an exact batch (cancel, as
/// Ctrl+C would) or after an epoch (run an action), so tests never depend on timing.
/// </summary>
internal sealed class RecordingProgress : TrainingCallback
{
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Cancel right after this (1-based epoch, batches done) is reported.</summary>
    public (int Epoch, int Batch)? CancelAt { get; init; }

    /// <summary>Called after each epoch's metrics are reported (the checkpoint is already saved).</summary>
    public Action<EpochMetrics>? OnEpochDone { get; init; }

    /// <summary>Called after each batch is reported.</summary>
    public Action<BatchProgress>? OnBatchDone { get; init; }

    public TrainingStart? Start { get; private set; }

    public int Batches { get; private set; }

    public List<BatchProgress> Reports { get; } = [];

    public List<int> Evaluations { get; } = [];

    public List<EpochMetrics> Epochs { get; } = [];

    public override void Started(TrainingStart start) => Start = start;

    public override void BatchDone(in BatchProgress progress)
    {
        Batches++;
        if (progress.HasMetrics) Reports.Add(progress);
        if (CancelAt is { } at && at.Epoch == progress.Epoch && at.Batch == progress.Batch) Cancellation.Cancel();
        OnBatchDone?.Invoke(progress);
    }

    public override void Evaluating(int epoch) => Evaluations.Add(epoch);

    public override void EpochDone(EpochMetrics metrics)
    {
        Epochs.Add(metrics);
        OnEpochDone?.Invoke(metrics);
    }
}
