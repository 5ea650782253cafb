namespace CnnNative.Nn;

/// <summary>
/// Combines the gradients of a training step before the optimizer applies them — the seam for
/// data-parallel training, where every process computes gradients on its share of the batch
/// and an all-reduce averages them so that every process takes the same step.
/// <see cref="Network.TrainStep"/> calls <see cref="Reduce"/> after the backward pass and
/// before <see cref="Optimizer.Step"/>; the trainer passes its <c>GradientReducer</c> there.
/// </summary>
public interface IGradientReducer
{
    /// <summary>
    /// Replaces each parameter's <see cref="Parameter.Gradient"/> (on the provider) with the
    /// combined gradient, for example the mean over all processes.
    /// </summary>
    void Reduce(IReadOnlyList<Parameter> parameters);

    /// <summary>
    /// Sums running totals (the epoch's loss sum, correct count and sample count) over all
    /// processes, in place, so every process reports the metrics of the whole batch. The trainer
    /// calls it at the same batches on every process. One process leaves them as they are.
    /// </summary>
    void ReduceTotals(Span<double> totals) { }

    /// <summary>
    /// Called at the end of every epoch, before evaluation and the checkpoint: the place to make
    /// the processes' non-trained state (batch-norm running statistics) one again.
    /// </summary>
    void EpochFinished(Network network) { }
}
