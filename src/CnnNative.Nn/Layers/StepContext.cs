namespace CnnNative.Nn;

/// <summary>
/// What a forward pass needs to know about the step it belongs to, passed by the network into
/// every <see cref="Layer.Forward(CnnNative.Core.Tensor, StepContext)"/>: whether it trains
/// (batch statistics, dropout masks) or infers, the training step number and the network's
/// seed. Layers that draw random numbers key them by (<see cref="Seed"/>,
/// <see cref="StreamFor(Layer)"/>), so every provider draws the same values and a resumed run
/// repeats them exactly.
/// </summary>
/// <param name="Training">True in a training step; false for inference (running statistics, no masks).</param>
/// <param name="Step">The training step (0-based) whose random draws to use; a checkpoint saves it.</param>
/// <param name="Seed">The network's seed.</param>
public readonly record struct StepContext(bool Training, long Step, ulong Seed)
{
    /// <summary>
    /// Inference only: run every layer on its own, so each one's <see cref="Layer.Output"/> is its
    /// own result. Off (the default), a convolution followed by batch normalisation (and a ReLU)
    /// runs as one fused provider operation (<see cref="CnnNative.Core.IComputeProvider.ConvolutionForwardBatchNorm"/>)
    /// whose result is the convolution's output, and the absorbed layers do not run.
    /// </summary>
    public bool KeepLayerOutputs { get; init; }

    /// <summary>Inference: no dropout masks, running batch-norm statistics.</summary>
    public static StepContext Inference => default;

    /// <summary>A training step <paramref name="step"/> of a network seeded with <paramref name="seed"/>.</summary>
    public static StepContext Train(long step, ulong seed = 0) => new(true, step, seed);

    /// <summary>
    /// The generator stream of one (step, layer): the step in the high bits, the layer's
    /// <see cref="Layer.Index"/> in the low 16, so two layers of one network draw different
    /// values and each step draws new ones. Pass it with <see cref="Seed"/> to
    /// <see cref="CnnNative.Core.IComputeProvider.DropoutForward"/> or <see cref="CnnNative.Core.CounterRng"/>.
    /// </summary>
    public ulong StreamFor(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return StreamFor(Step, layer.Index);
    }

    /// <summary>The stream of step <paramref name="step"/> and layer position <paramref name="index"/> (see <see cref="StreamFor(Layer)"/>).</summary>
    public static ulong StreamFor(long step, int index) => unchecked(((ulong)step << 16) | (ushort)index);
}
