namespace CnnNative.Nn.Training;

/// <summary>
/// Where a run stands, saved in every training checkpoint so that a resumed run continues exactly:
/// the data-order position (with the seed from <see cref="TrainingSettings"/> it fixes every
/// remaining batch), the step counters the optimizer and dropout depend on, and the
/// accumulators of a partly finished epoch so its metrics come out as if never interrupted.
/// </summary>
/// <param name="Epoch">Zero-based epoch of the next batch to train.</param>
/// <param name="Batch">Batches of that epoch already trained (the index of the next one).</param>
/// <param name="OptimizerSteps">Updates the optimizer has made (Adam's t).</param>
/// <param name="NetworkStep">The network's <see cref="Network.TrainingStep"/> (keys the dropout masks).</param>
/// <param name="EpochLossSum">Σ over the epoch's trained batches of batch size × mean batch loss (the float the provider holds).</param>
/// <param name="EpochCorrect">Training samples of the epoch classified correctly so far.</param>
/// <param name="EpochSamples">Training samples of the epoch trained so far.</param>
/// <param name="EpochTrainSeconds">Training time spent in the epoch so far.</param>
public sealed record TrainingState(
    int Epoch,
    int Batch,
    long OptimizerSteps,
    long NetworkStep,
    float EpochLossSum,
    long EpochCorrect,
    long EpochSamples,
    double EpochTrainSeconds)
{
    /// <summary>A run that has not trained yet.</summary>
    public static TrainingState Start { get; } = new(0, 0, 0, 0, 0f, 0, 0, 0);

    /// <summary>Epochs completely finished (the CSV rows a run at this state has).</summary>
    public int CompletedEpochs => Epoch;

    /// <summary>True at an epoch boundary (nothing of the current epoch trained yet).</summary>
    public bool AtEpochStart => Batch == 0;

    /// <summary>"after epoch 3", or "after batch 4 of 13 in epoch 2" mid-epoch: where a run stopped, for messages.</summary>
    public string Where(int batchesPerEpoch) =>
        Batch == 0 ? $"after epoch {Epoch}" : $"after batch {Batch} of {batchesPerEpoch} in epoch {Epoch + 1}";

    /// <summary>"epoch E, batch B, optimizer step S", the epoch 1-based as users count it.</summary>
    public override string ToString() => $"epoch {Epoch + 1}, batch {Batch}, optimizer step {OptimizerSteps}";
}
