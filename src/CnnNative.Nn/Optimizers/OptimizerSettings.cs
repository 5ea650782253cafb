namespace CnnNative.Nn;

/// <summary>
/// An optimizer and its hyper-parameters, as stored in run.json and checkpoints. Fields an
/// optimizer does not use are ignored. Defaults are the book's.
/// </summary>
public sealed record OptimizerSettings
{
    /// <summary>The optimizers by name, in the order the book introduces them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];

    /// <summary>"sgd", "momentum", "nesterov", "adagrad", "rmsprop" or "adam".</summary>
    public string Name { get; init; } = "adam";

    /// <summary>The step size before any schedule (0.001, the book's Adam default); must be positive.</summary>
    public float LearningRate { get; init; } = 0.001f;

    /// <summary>Momentum and Nesterov: the velocity's decay (0.9).</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>RMSprop: the squared-gradient average's decay (0.99).</summary>
    public float DecayRate { get; init; } = 0.99f;

    /// <summary>Adam: first-moment decay (0.9).</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Adam: second-moment decay (0.999).</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>L2 weight decay λ added to weight gradients (g + λ·W); biases and batch-norm parameters are not decayed. 0 turns it off.</summary>
    public float WeightDecay { get; init; }

    /// <summary>The book's defaults for <paramref name="name"/>: learning rate 0.001 for Adam, 0.01 for the others.</summary>
    public static OptimizerSettings For(string name)
    {
        string key = Canonical(name);
        return new OptimizerSettings { Name = key, LearningRate = key == "adam" ? 0.001f : 0.01f };
    }

    /// <summary>The canonical (lower-case) name; an unknown name gets a message listing the valid ones.</summary>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var n in Names)
            if (n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) return n;
        // No parameter name: it would append "(Parameter 'name')" to a message users read.
        throw new ArgumentException($"Unknown optimizer '{name}'. Valid optimizers: {string.Join(", ", Names)}.");
    }

    /// <summary>Whether <paramref name="name"/> is one of the built-in optimizers (<see cref="Names"/>, any case).</summary>
    public static bool IsBuiltIn(string name) =>
        name is not null && Names.Any(n => n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Checks every value the named optimizer uses; the message says which is wrong. A name
    /// outside <see cref="Names"/> (your own <see cref="Optimizer"/> subclass) has its learning
    /// rate and weight decay checked; its other values are its own business.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException($"An optimizer needs a name; built in: {string.Join(", ", Names)}.");
        string key = IsBuiltIn(Name) ? Canonical(Name) : Name.Trim();
        if (!(LearningRate > 0f && float.IsFinite(LearningRate)))
            throw new ArgumentException($"The learning rate must be a positive number, got {LearningRate}.");
        if (!(WeightDecay >= 0f && float.IsFinite(WeightDecay)))
            throw new ArgumentException($"Weight decay must be zero or positive, got {WeightDecay}.");
        if (key is "momentum" or "nesterov") InUnit(Momentum, "momentum");
        if (key == "rmsprop") InUnit(DecayRate, "the RMSprop decay rate");
        if (key == "adam") { InUnit(Beta1, "Adam's beta1"); InUnit(Beta2, "Adam's beta2"); }
    }

    private static void InUnit(float value, string what)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentException($"{what} must be in [0, 1), got {value}.");
    }
}
