using System.Globalization;

namespace CnnNative.Nn.Training;

/// <summary>
/// When a run whose loss is still finite has diverged all the same. A NaN or infinite loss
/// always stops a run; besides that, at the end of every epoch, before it is checkpointed:
/// <list type="bullet">
/// <item><b>Loss far above its start</b>: the epoch's mean training loss is above
/// <see cref="LossFactor"/> × ln(classes). An untrained classifier starts near ln(classes), the
/// loss of guessing, so three times that is far above where any run starts (a learning rate of
/// 1e4 plateaus near 14.5 on ten classes, six times ln 10).</item>
/// <item><b>Stuck at chance level</b>: <see cref="ChanceEpochs"/> epochs in a row each trained at
/// chance — training accuracy at most 1/classes + <see cref="ChanceMargin"/> while the mean loss
/// stays at least (1 − <see cref="ChanceMargin"/>) × ln(classes). A model that learns anything
/// leaves that band within an epoch or two; one whose weights were blown to a constant output
/// never does.</item>
/// </list>
/// A run that breaks either rule ends <see cref="TrainingOutcome.Diverged"/> and keeps its last
/// good checkpoint: the trainer does not write the checkpoint of an epoch at chance level until
/// the run leaves chance level (or ends otherwise), so that is the one from before the run got
/// stuck. With fewer than two classes neither rule applies.
/// </summary>
public sealed record DivergenceRule
{
    /// <summary>The default <see cref="LossFactor"/>: 3.</summary>
    public const double DefaultLossFactor = 3;

    /// <summary>The default <see cref="ChanceEpochs"/>: 3.</summary>
    public const int DefaultChanceEpochs = 3;

    /// <summary>The default <see cref="ChanceMargin"/>: 0.02.</summary>
    public const double DefaultChanceMargin = 0.02;

    /// <summary>The largest <see cref="LossFactor"/> accepted (a larger one could never fire before the loss overflows to ∞ anyway).</summary>
    public const double MaxLossFactor = 1000;

    /// <summary>The largest <see cref="ChanceEpochs"/> accepted.</summary>
    public const int MaxChanceEpochs = 10_000;

    /// <summary>Both rules at their defaults.</summary>
    public static DivergenceRule Default { get; } = new();

    /// <summary>Only a NaN or infinite loss counts as divergence.</summary>
    public static DivergenceRule NonFiniteOnly { get; } = new() { LossFactor = 0, ChanceEpochs = 0 };

    /// <summary>An epoch whose mean training loss exceeds this many times ln(classes) has diverged; 0 turns the rule off, otherwise above 1.</summary>
    public double LossFactor { get; init; } = DefaultLossFactor;

    /// <summary>This many epochs in a row at chance level are divergence; 0 turns the rule off.</summary>
    public int ChanceEpochs { get; init; } = DefaultChanceEpochs;

    /// <summary>How close to chance an epoch must stay to count as "at chance": accuracy within this of 1/classes, loss within this fraction of ln(classes); from 0 up to (not including) 1.</summary>
    public double ChanceMargin { get; init; } = DefaultChanceMargin;

    /// <summary>What is wrong with these values (naming the setting as <paramref name="names"/> spells it), or null when they are usable.</summary>
    /// <param name="names">The names a user gave the three settings, in the order loss factor, chance epochs, chance margin (command-line options, configuration keys).</param>
    public string? Problem((string LossFactor, string ChanceEpochs, string ChanceMargin) names)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!double.IsFinite(LossFactor) || LossFactor < 0 || (LossFactor > 0 && LossFactor <= 1) || LossFactor > MaxLossFactor)
            return string.Create(inv, $"{names.LossFactor} is {LossFactor}; give 0 (rule off) or a factor above 1 and at most {MaxLossFactor} (default {DefaultLossFactor}), since every run starts near 1 × ln(classes).");
        if (ChanceEpochs < 0 || ChanceEpochs > MaxChanceEpochs)
            return string.Create(inv, $"{names.ChanceEpochs} is {ChanceEpochs}; give 0 (rule off) up to {MaxChanceEpochs} epochs (default {DefaultChanceEpochs}).");
        if (!double.IsFinite(ChanceMargin) || ChanceMargin < 0 || ChanceMargin >= 1)
            return string.Create(inv, $"{names.ChanceMargin} is {ChanceMargin}; give a fraction from 0 up to (not including) 1 (default {DefaultChanceMargin}).");
        return null;
    }

    /// <summary>
    /// Why the run has diverged after <paramref name="current"/> (which follows
    /// <paramref name="history"/>), as a clause ending before "the run has diverged"; null when it has not.
    /// </summary>
    public string? Breach(IReadOnlyList<EpochMetrics> history, EpochMetrics current, int classes)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(current);
        if (classes < 2) return null;
        var inv = CultureInfo.InvariantCulture;
        double chanceLoss = Math.Log(classes);
        if (LossFactor > 0 && current.Loss > LossFactor * chanceLoss)
            return string.Create(inv,
                $"epoch {current.Epoch}'s mean loss {current.Loss:0.###} is above {LossFactor * chanceLoss:0.###} ({LossFactor} × ln {classes}, the loss of guessing)");
        if (ChanceEpochs > 0 && IsAtChance(current, classes) && history.Count >= ChanceEpochs - 1
            && history.Skip(history.Count - (ChanceEpochs - 1)).All(m => IsAtChance(m, classes)))
        {
            string epochs = ChanceEpochs == 1 ? $"epoch {current.Epoch}" : $"epochs {current.Epoch - ChanceEpochs + 1}–{current.Epoch}";
            return string.Create(inv,
                $"{epochs} stayed at chance level (training accuracy {current.TrainAccuracy:0.####} against 1/{classes} = {1.0 / classes:0.####}, loss {current.Loss:0.###} against ln {classes} = {chanceLoss:0.###})");
        }
        return null;
    }

    /// <summary>True when <paramref name="m"/> trained at chance level (and the chance rule is on).</summary>
    internal bool IsAtChance(EpochMetrics m, int classes) =>
        ChanceEpochs > 0 && classes >= 2
        && m.TrainAccuracy <= 1.0 / classes + ChanceMargin && m.Loss >= (1 - ChanceMargin) * Math.Log(classes);

    /// <summary>"loss > 3 × ln(classes); 3 epochs at chance (margin 0.02)", or "NaN/∞ loss only".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (LossFactor > 0) parts.Add(string.Create(inv, $"loss > {LossFactor} × ln(classes)"));
        if (ChanceEpochs > 0) parts.Add(string.Create(inv, $"{ChanceEpochs} epoch(s) at chance (margin {ChanceMargin})"));
        return parts.Count == 0 ? "NaN/∞ loss only" : string.Join("; ", parts) + "; NaN/∞ loss";
    }
}
