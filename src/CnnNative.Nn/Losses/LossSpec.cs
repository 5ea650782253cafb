namespace CnnNative.Nn;

/// <summary>
/// A model file's "loss" entry: <c>{ "type": "softmax-cross-entropy", "labelSmoothing": 0.1 }</c>
/// or <c>{ "type": "mse" }</c>. Absent means the seed's softmax cross-entropy.
/// </summary>
public sealed record LossSpec
{
    /// <summary>"softmax-cross-entropy" (default) or "mse".</summary>
    public string Type { get; init; } = SoftmaxWithLoss.Name;

    /// <summary>softmax-cross-entropy: ε in [0, 1) (default 0).</summary>
    public float? LabelSmoothing { get; init; }

    /// <summary>The loss types a model file may name.</summary>
    public static IReadOnlyList<string> Types { get; } = [SoftmaxWithLoss.Name, MeanSquaredError.Name];

    /// <summary>Checks the entry; the message says what is wrong and what is valid.</summary>
    public void Validate()
    {
        string type = Canonical();
        if (LabelSmoothing is float e)
        {
            if (type != SoftmaxWithLoss.Name)
                throw new InvalidModelException($"The {type} loss does not take \"labelSmoothing\"; only {SoftmaxWithLoss.Name} does.");
            SoftmaxWithLoss.CheckSmoothing(e);
        }
    }

    /// <summary>A new, unbound loss of this kind.</summary>
    public LossFunction Create() => Canonical() switch
    {
        MeanSquaredError.Name => new MeanSquaredError(),
        _ => new SoftmaxWithLoss(LabelSmoothing ?? 0f),
    };

    private string Canonical()
    {
        foreach (var t in Types)
            if (t.Equals(Type?.Trim(), StringComparison.OrdinalIgnoreCase)) return t;
        throw new InvalidModelException($"Unknown loss '{Type}'. Losses: {string.Join(", ", Types)}.");
    }
}
