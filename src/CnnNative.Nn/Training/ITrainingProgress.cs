namespace CnnNative.Nn.Training;

/// <summary>What a run will do, told once before the first batch.</summary>
/// <param name="FirstEpoch">1-based epoch the run starts (or resumes) in.</param>
/// <param name="FirstBatch">Batches of that epoch already done (non-zero when resuming mid-epoch).</param>
/// <param name="Epochs">Total epochs of the run.</param>
/// <param name="BatchesPerEpoch">Training batches per epoch.</param>
/// <param name="TrainSamples">Training samples per epoch.</param>
/// <param name="TestSamples">Test samples evaluated after each epoch.</param>
public sealed record TrainingStart(int FirstEpoch, int FirstBatch, int Epochs, int BatchesPerEpoch, int TrainSamples, int TestSamples);

/// <summary>
/// One training batch done. The running loss and accuracy of the epoch are only known every
/// few batches (the trainer downloads them then, to keep the step free of host transfers);
/// otherwise <see cref="HasMetrics"/> is false and they are NaN.
/// </summary>
public readonly record struct BatchProgress(
    int Epoch,
    int Batch,
    int BatchesPerEpoch,
    double RunningLoss,
    double RunningAccuracy)
{
    public bool HasMetrics => !double.IsNaN(RunningLoss);

    /// <summary>Fraction of the epoch done, in [0, 1].</summary>
    public double EpochFraction => BatchesPerEpoch == 0 ? 1 : Batch / (double)BatchesPerEpoch;
}

/// <summary>
/// Receives a run's progress: the command line shows a progress bar or plain lines from it,
/// tests count batches with it (and cancel at an exact batch). Called on the training thread;
/// <see cref="BatchDone"/> comes after every batch, so it must be cheap.
/// </summary>
public interface ITrainingProgress
{
    void Started(TrainingStart start);

    void BatchDone(in BatchProgress progress);

    /// <summary>Training of epoch <paramref name="epoch"/> (1-based) is done; the test set is being evaluated.</summary>
    void Evaluating(int epoch);

    void EpochDone(EpochMetrics metrics);
}

/// <summary>Reports nothing.</summary>
public sealed class NoProgress : ITrainingProgress
{
    public static NoProgress Instance { get; } = new();

    public void Started(TrainingStart start) { }

    public void BatchDone(in BatchProgress progress) { }

    public void Evaluating(int epoch) { }

    public void EpochDone(EpochMetrics metrics) { }
}
