using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Updates parameters from their gradients, in place on the provider (one fused provider
/// operation per parameter, no host copies). Per-parameter state (velocities, moments) lives
/// in tensors named "&lt;parameter&gt;.&lt;state&gt;" ("conv1.W.m"); together with
/// <see cref="StepCount"/> it is everything a checkpoint needs to continue exactly.
/// <para>To write your own, derive from this class with any name, register per-parameter state
/// with <see cref="AddState"/> (saved in checkpoints) and implement <see cref="Update"/> with
/// provider operations; a trainer takes it like the built-in ones.</para>
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly List<NamedTensor> _state = [];

    /// <summary>An optimizer of <paramref name="parameters"/> with <paramref name="settings"/> (its name may be your own).</summary>
    protected Optimizer(OptimizerSettings settings, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parameters);
        settings.Validate();
        string name = OptimizerSettings.IsBuiltIn(settings.Name) ? OptimizerSettings.Canonical(settings.Name) : settings.Name.Trim();
        Settings = settings with { Name = name };
        _parameters = [.. parameters];
        foreach (var p in _parameters) ArgumentNullException.ThrowIfNull(p, nameof(parameters));
        LearningRate = settings.LearningRate;
    }

    /// <summary>An optimizer called <paramref name="name"/> with a learning rate and weight decay (for your own subclasses).</summary>
    protected Optimizer(string name, float learningRate, IReadOnlyList<Parameter> parameters, float weightDecay = 0f)
        : this(new OptimizerSettings { Name = name, LearningRate = learningRate, WeightDecay = weightDecay }, parameters)
    {
    }

    /// <summary>Creates the built-in optimizer <paramref name="settings"/> names for <paramref name="parameters"/> (an unknown name lists the valid ones).</summary>
    public static Optimizer Create(OptimizerSettings settings, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return OptimizerSettings.Canonical(settings.Name) switch
        {
            "sgd" => new Sgd(settings, parameters),
            "momentum" => new MomentumSgd(settings, parameters),
            "nesterov" => new Nesterov(settings, parameters),
            "adagrad" => new AdaGrad(settings, parameters),
            "rmsprop" => new RmsProp(settings, parameters),
            _ => new Adam(settings, parameters),
        };
    }

    /// <summary>The settings this optimizer was created with (canonical name).</summary>
    public OptimizerSettings Settings { get; }

    /// <summary>The optimizer's name: a built-in's canonical name ("adam") or your subclass's own; stored in checkpoints.</summary>
    public string Name => Settings.Name;

    /// <summary>The current learning rate; a schedule may change it between steps.</summary>
    public float LearningRate { get; set; }

    /// <summary>The parameters it updates, in the order given (the index passed to <see cref="Update"/>).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Updates done so far (Adam's t). A checkpoint saves it; restoring sets it.</summary>
    public long StepCount { get; set; }

    /// <summary>The state tensors, named "&lt;parameter&gt;.&lt;state&gt;"; empty for SGD.</summary>
    public IReadOnlyList<NamedTensor> State => _state;

    /// <summary>The state tensor called <paramref name="name"/>, for restoring a checkpoint.</summary>
    public Tensor GetState(string name)
    {
        foreach (var s in _state)
            if (s.Name == name) return s.Tensor;
        throw new KeyNotFoundException($"The {Name} optimizer has no state tensor '{name}'.");
    }

    /// <summary>One update of every parameter from its current gradient.</summary>
    public void Step()
    {
        StepCount++;
        BeginStep();
        var parameters = _parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            Update(i, p, p.Decays ? Settings.WeightDecay : 0f);
        }
    }

    /// <summary>Per-step scalars (Adam's bias-corrected rate) computed once before the parameter loop.</summary>
    protected virtual void BeginStep() { }

    /// <summary>Updates parameter number <paramref name="index"/>.</summary>
    protected abstract void Update(int index, Parameter parameter, float weightDecay);

    /// <summary>One zero-filled state tensor per parameter, named "&lt;parameter&gt;.<paramref name="suffix"/>".</summary>
    protected Tensor[] AddState(string suffix)
    {
        var tensors = new Tensor[_parameters.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            var p = _parameters[i];
            tensors[i] = p.Value.Provider.Allocate(p.Value.Shape);
            _state.Add(new NamedTensor(p.Name + "." + suffix, tensors[i]));
        }
        return tensors;
    }

    /// <summary>Frees the state tensors; the parameters belong to the network and are left alone.</summary>
    public void Dispose()
    {
        foreach (var s in _state) s.Tensor.Dispose();
        _state.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Name and current learning rate, e.g. "adam (lr 0.001)".</summary>
    public override string ToString() => $"{Name} (lr {LearningRate})";
}
