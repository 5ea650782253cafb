namespace CnnNative.Nn.Training;

/// <summary>What a run will do, told once before the first batch.</summary>
/// <param name="FirstEpoch">1-based epoch the run starts (or resumes) in.</param>
/// <param name="FirstBatch">Batches of that epoch already done (non-zero when resuming mid-epoch).</param>
/// <param name="Epochs">Total epochs of the run.</param>
/// <param name="BatchesPerEpoch">Training batches per epoch.</param>
/// <param name="TrainSamples">Training samples per epoch.</param>
/// <param name="TestSamples">Test samples evaluated after each epoch.</param>
public sealed record TrainingStart(int FirstEpoch, int FirstBatch, int Epochs, int BatchesPerEpoch, int TrainSamples, int TestSamples)
{
    /// <summary>Samples held out of the training data and validated after each epoch (0 without a validation split).</summary>
    public int ValidationSamples { get; init; }
}

/// <summary>
/// One training batch done. The running loss and accuracy of the epoch are only known every
/// few batches (the trainer downloads them then, to keep the step free of host transfers);
/// otherwise <see cref="HasMetrics"/> is false and they are NaN.
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">Batches of the epoch done, this one included.</param>
/// <param name="BatchesPerEpoch">Training batches per epoch.</param>
/// <param name="RunningLoss">Mean loss of the epoch so far, or NaN.</param>
/// <param name="RunningAccuracy">Training accuracy of the epoch so far, or NaN.</param>
public readonly record struct BatchProgress(
    int Epoch,
    int Batch,
    int BatchesPerEpoch,
    double RunningLoss,
    double RunningAccuracy)
{
    /// <summary>True when the running loss and accuracy were downloaded after this batch.</summary>
    public bool HasMetrics => !double.IsNaN(RunningLoss);

    /// <summary>Fraction of the epoch done, in [0, 1].</summary>
    public double EpochFraction => BatchesPerEpoch == 0 ? 1 : Batch / (double)BatchesPerEpoch;
}
