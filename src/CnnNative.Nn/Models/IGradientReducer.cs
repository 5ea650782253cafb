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
}
