using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Batch normalisation with the seed's constants (momentum 0.9, ε = 1e-6, biased variance in
/// the running statistics). After a convolution ([C, H, W] input) statistics are per channel
/// over N·H·W values, as conv nets normally do; for [D] input, per activation over N values.
/// <c>perActivation: true</c> forces the seed's form on any input (each of C·H·W activations
/// normalised separately). Training uses batch statistics and updates the running ones;
/// inference uses the running ones.
/// </summary>
public sealed class BatchNormalization : Layer
{
    /// <summary>The seed's running-statistics momentum: running = 0.9·running + 0.1·batch.</summary>
    public const float DefaultMomentum = 0.9f;
    /// <summary>The seed's ε added to the variance before the square root.</summary>
    public const float DefaultEpsilon = 1e-6f;

    private readonly int _channels;
    private readonly int _spatial;
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;
    private readonly Tensor _saveMean;
    private readonly Tensor _saveInvStd;
    private Tensor? _x;

    /// <summary>Batch normalisation of <paramref name="inputShape"/> samples; γ starts at 1, β at 0, the running mean at 0 and the running variance at 1.</summary>
    /// <param name="provider">Where γ, β, the running statistics and the batch buffers are allocated.</param>
    /// <param name="name">Unique among its siblings, no '.'; names "name.gamma", "name.beta", "name.running_mean", "name.running_var".</param>
    /// <param name="inputShape">One sample's shape: [C, H, W] (per channel) or [D] (per activation).</param>
    /// <param name="perActivation">Normalise each of the C·H·W activations separately (the seed's form) instead of per channel.</param>
    /// <param name="momentum">Weight of the old running statistics, in [0, 1].</param>
    /// <param name="epsilon">Added to the variance; positive and finite.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    /// <exception cref="InvalidModelException"><paramref name="momentum"/> or <paramref name="epsilon"/> is out of range.</exception>
    public BatchNormalization(IComputeProvider provider, string name, TensorShape inputShape, bool perActivation = false,
        float momentum = DefaultMomentum, float epsilon = DefaultEpsilon)
        : base(provider, name, inputShape)
    {
        if (!(momentum >= 0f && momentum <= 1f))
            throw new InvalidModelException($"Layer '{name}': batch-norm momentum must be in [0, 1], got {momentum}.");
        if (!(epsilon > 0f && float.IsFinite(epsilon)))
            throw new InvalidModelException($"Layer '{name}': batch-norm epsilon must be positive, got {epsilon}.");
        (_channels, _spatial) = GroupsFor(inputShape, perActivation);
        PerActivation = perActivation || inputShape.Rank == 1;
        Momentum = momentum;
        Epsilon = epsilon;
        OutputShape = inputShape;
        var perChannel = new TensorShape(_channels);
        Gamma = AddParameter("gamma", perChannel, ParameterRole.Scale, fanIn: 1);
        Beta = AddParameter("beta", perChannel, ParameterRole.Shift, fanIn: 1);
        RunningMean = AddBuffer("running_mean", perChannel);
        RunningVar = AddBuffer("running_var", perChannel);
        _saveMean = Scratch(perChannel);
        _saveInvStd = Scratch(perChannel);
        _y = PerSample(inputShape);
        _dx = PerSample(inputShape);
    }

    /// <summary>(channels, spatial) of the [Batch, Channels, Spatial] view the statistics are taken over.</summary>
    public static (int Channels, int Spatial) GroupsFor(TensorShape inputShape, bool perActivation) =>
        perActivation || inputShape.Rank == 1
            ? (inputShape.Length, 1)
            : (inputShape[0], inputShape.SizeFrom(1));

    /// <inheritdoc/>
    public override string Type => "batchnorm";

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.BatchNorm(PerActivation && InputShape.Rank != 1 ? true : null) with { Name = Name };

    /// <summary>True when every activation has its own statistics (2-D input, or forced).</summary>
    public bool PerActivation { get; }

    /// <summary>Weight of the old running statistics at each training step (0.9 by default).</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root (1e-6 by default).</summary>
    public float Epsilon { get; }

    /// <summary>γ [groups]: the learned scale, one per channel (or activation).</summary>
    public Parameter Gamma { get; }

    /// <summary>β [groups]: the learned shift, one per channel (or activation).</summary>
    public Parameter Beta { get; }

    /// <summary>Running mean [groups] used at inference; updated by training steps, saved in checkpoints, not trained.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (biased) variance [groups] used at inference; updated by training steps, saved in checkpoints, not trained.</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        var geometry = new BatchNormGeometry(batch, _channels, _spatial);
        if (context.Training)
        {
            Provider.BatchNormForwardTraining(x, geometry, Gamma.Value, Beta.Value, RunningMean, RunningVar,
                Momentum, Epsilon, y, _saveMean, _saveInvStd);
            _x = x;
        }
        else
        {
            Provider.BatchNormForwardInference(x, geometry, Gamma.Value, Beta.Value, RunningMean, RunningVar, Epsilon, y);
        }
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException(
                $"Layer '{Name}': Backward needs a training-mode Forward (inference uses the running statistics and is not differentiated).");
        // The contract's backward always writes dx; the first layer simply ignores it.
        var dx = _dx.For(batch);
        Provider.BatchNormBackward(dy, _x!, new BatchNormGeometry(batch, _channels, _spatial), Gamma.Value,
            _saveMean, _saveInvStd, dx, Gamma.Gradient, Beta.Gradient);
        return PropagatesGradient ? dx : null;
    }
}
