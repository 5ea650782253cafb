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
    public const float DefaultMomentum = 0.9f;
    public const float DefaultEpsilon = 1e-6f;

    private readonly int _channels;
    private readonly int _spatial;
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;
    private readonly Tensor _saveMean;
    private readonly Tensor _saveInvStd;
    private Tensor? _x;

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

    public override string Type => "batchnorm";

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.BatchNorm(PerActivation && InputShape.Rank != 1 ? true : null) with { Name = Name };

    /// <summary>True when every activation has its own statistics (2-D input, or forced).</summary>
    public bool PerActivation { get; }

    public float Momentum { get; }

    public float Epsilon { get; }

    public Parameter Gamma { get; }

    public Parameter Beta { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

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
