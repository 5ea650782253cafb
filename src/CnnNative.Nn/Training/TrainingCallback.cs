using System.Text.Json.Nodes;

namespace CnnNative.Nn.Training;

/// <summary>
/// Observes and steers a <see cref="Trainer"/>'s run — one small class per behaviour, as
/// Keras callbacks are: the trainer calls each event on the training thread, in the order of
/// <see cref="Trainer.Callbacks"/> (then the run's own progress callback). Override only what
/// you need; every event does nothing by default.
/// <para>A callback that keeps state across epochs (a best value, a patience count) gives it a
/// <see cref="StateKey"/>, returns it from <see cref="SaveState"/> and takes it back in
/// <see cref="RestoreState"/>: the trainer stores it in every checkpoint and hands it back
/// when a resumed run starts, so the resumed run decides exactly as the uninterrupted one.</para>
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>The trainer running this callback; set just before <see cref="Started"/>.</summary>
    public Trainer Trainer { get; internal set; } = null!;

    /// <summary>The run starts (or resumes); told once before the first batch.</summary>
    public virtual void Started(TrainingStart start) { }

    /// <summary>One batch trained. Called after every batch, so it must be cheap.</summary>
    public virtual void BatchDone(in BatchProgress progress) { }

    /// <summary>Training of epoch <paramref name="epoch"/> (1-based) is done; the validation and test sets are being evaluated.</summary>
    public virtual void Evaluating(int epoch) { }

    /// <summary>
    /// Epoch <see cref="EpochMetrics.Epoch"/> is finished and measured; <see cref="Trainer.History"/>
    /// and <see cref="Trainer.State"/> include it. The trainer saves its checkpoint right after
    /// the callbacks, so states changed here are in it. Call <see cref="Trainer.Stop"/> to end the run.
    /// </summary>
    public virtual void EpochDone(EpochMetrics metrics) { }

    /// <summary>The run ended (completed, stopped, interrupted or diverged).</summary>
    public virtual void Finished(TrainingResult result) { }

    /// <summary>The name this callback's state is saved under in checkpoints; null (the default) saves nothing.</summary>
    public virtual string? StateKey => null;

    /// <summary>The state to save in a checkpoint (called at every checkpoint when <see cref="StateKey"/> is set).</summary>
    public virtual JsonNode? SaveState() => null;

    /// <summary>Takes back the state a checkpoint saved, before a resumed run's <see cref="Started"/>.</summary>
    public virtual void RestoreState(JsonNode state) { }
}

/// <summary>Reports nothing.</summary>
public sealed class NoProgress : TrainingCallback
{
    /// <summary>The one instance.</summary>
    public static NoProgress Instance { get; } = new();
}
