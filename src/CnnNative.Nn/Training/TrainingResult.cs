namespace CnnNative.Nn.Training;

/// <summary>How a run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>Every epoch trained and evaluated.</summary>
    Completed,
    /// <summary>A callback ended the run early (<see cref="Trainer.Stop"/>, for example <see cref="EarlyStopping"/>) after a finished epoch.</summary>
    Stopped,
    /// <summary>Cancelled (Ctrl+C): stopped after the current batch and saved a checkpoint that resumes exactly.</summary>
    Interrupted,
    /// <summary>The loss became NaN or infinite; the last good checkpoint was kept.</summary>
    Diverged,
}

/// <summary>The end of a run: its outcome, every epoch's metrics (including those before a resume) and where it stopped.</summary>
/// <param name="Outcome">Completed, interrupted or diverged.</param>
/// <param name="History">Metrics of all finished epochs, oldest first.</param>
/// <param name="State">The position saved in the checkpoint (for <see cref="TrainingOutcome.Diverged"/>, that of the last good one).</param>
/// <param name="Message">One sentence for the user when the run did not complete; null otherwise.</param>
public sealed record TrainingResult(
    TrainingOutcome Outcome,
    IReadOnlyList<EpochMetrics> History,
    TrainingState State,
    string? Message)
{
    /// <summary>Test accuracy after the last finished epoch, or NaN when none finished.</summary>
    public double FinalTestAccuracy => History.Count == 0 ? double.NaN : History[^1].TestAccuracy;
}
