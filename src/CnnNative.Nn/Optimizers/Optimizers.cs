using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>The seed's SGD: W −= lr·g.</summary>
public sealed class Sgd(OptimizerSettings settings, IReadOnlyList<Parameter> parameters) : Optimizer(settings, parameters)
{
    /// <inheritdoc/>
    protected override void Update(int index, Parameter p, float weightDecay) =>
        p.Value.Provider.SgdStep(p.Value, p.Gradient, LearningRate, weightDecay);
}

/// <summary>The seed's Momentum: v = μ·v − lr·g; W += v. State "velocity".</summary>
public sealed class MomentumSgd : Optimizer
{
    private readonly Tensor[] _velocity;

    /// <summary>Momentum SGD with <see cref="OptimizerSettings.Momentum"/>; allocates one zeroed velocity per parameter on its provider.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (e.g. a learning rate that is not positive).</exception>
    public MomentumSgd(OptimizerSettings settings, IReadOnlyList<Parameter> parameters) : base(settings, parameters) =>
        _velocity = AddState("velocity");

    /// <inheritdoc/>
    protected override void Update(int index, Parameter p, float weightDecay) =>
        p.Value.Provider.MomentumStep(p.Value, p.Gradient, _velocity[index], LearningRate, Settings.Momentum, weightDecay);
}

/// <summary>The seed's Nesterov: v = μ·v − lr·g; W += μ²·v − (1 + μ)·lr·g. State "velocity".</summary>
public sealed class Nesterov : Optimizer
{
    private readonly Tensor[] _velocity;

    /// <summary>Nesterov momentum with <see cref="OptimizerSettings.Momentum"/>; allocates one zeroed velocity per parameter on its provider.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (e.g. a learning rate that is not positive).</exception>
    public Nesterov(OptimizerSettings settings, IReadOnlyList<Parameter> parameters) : base(settings, parameters) =>
        _velocity = AddState("velocity");

    /// <inheritdoc/>
    protected override void Update(int index, Parameter p, float weightDecay) =>
        p.Value.Provider.NesterovStep(p.Value, p.Gradient, _velocity[index], LearningRate, Settings.Momentum, weightDecay);
}

/// <summary>The seed's AdaGrad: h += g²; W −= lr·g/(√h + 1e-7). State "h".</summary>
public sealed class AdaGrad : Optimizer
{
    private readonly Tensor[] _h;

    /// <summary>AdaGrad; allocates one zeroed squared-gradient sum per parameter on its provider.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (e.g. a learning rate that is not positive).</exception>
    public AdaGrad(OptimizerSettings settings, IReadOnlyList<Parameter> parameters) : base(settings, parameters) =>
        _h = AddState("h");

    /// <inheritdoc/>
    protected override void Update(int index, Parameter p, float weightDecay) =>
        p.Value.Provider.AdaGradStep(p.Value, p.Gradient, _h[index], LearningRate, weightDecay);
}

/// <summary>The seed's RMSprop: h = ρ·h + (1 − ρ)·g²; W −= lr·g/(√h + 1e-7). State "h".</summary>
public sealed class RmsProp : Optimizer
{
    private readonly Tensor[] _h;

    /// <summary>RMSprop with <see cref="OptimizerSettings.DecayRate"/>; allocates one zeroed squared-gradient average per parameter on its provider.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (e.g. a learning rate that is not positive).</exception>
    public RmsProp(OptimizerSettings settings, IReadOnlyList<Parameter> parameters) : base(settings, parameters) =>
        _h = AddState("h");

    /// <inheritdoc/>
    protected override void Update(int index, Parameter p, float weightDecay) =>
        p.Value.Provider.RmsPropStep(p.Value, p.Gradient, _h[index], LearningRate, Settings.DecayRate, weightDecay);
}

/// <summary>
/// The seed's Adam: the bias correction is folded into the step size on the host,
/// lr_t = lr·√(1 − β2^t)/(1 − β1^t), then m += (1 − β1)(g − m); v += (1 − β2)(g² − v);
/// W −= lr_t·m/(√v + 1e-7) on the provider. State "m" and "v"; t is <see cref="Optimizer.StepCount"/>.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private float _learningRateT;

    /// <summary>Adam with <see cref="OptimizerSettings.Beta1"/> and <see cref="OptimizerSettings.Beta2"/>; allocates zeroed first and second moments per parameter on its provider.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (e.g. a learning rate that is not positive).</exception>
    public Adam(OptimizerSettings settings, IReadOnlyList<Parameter> parameters) : base(settings, parameters)
    {
        _m = AddState("m");
        _v = AddState("v");
    }

    /// <summary>lr·√(1 − β2^t)/(1 − β1^t) for step <paramref name="t"/> (1-based), in double precision.</summary>
    public static float LearningRateAt(float learningRate, float beta1, float beta2, long t) =>
        (float)(learningRate * Math.Sqrt(1.0 - Math.Pow(beta2, t)) / (1.0 - Math.Pow(beta1, t)));

    /// <inheritdoc/>
    protected override void BeginStep() =>
        _learningRateT = LearningRateAt(LearningRate, Settings.Beta1, Settings.Beta2, StepCount);

    /// <inheritdoc/>
    protected override void Update(int index, Parameter p, float weightDecay) =>
        p.Value.Provider.AdamStep(p.Value, p.Gradient, _m[index], _v[index], _learningRateT, Settings.Beta1, Settings.Beta2, weightDecay);
}
