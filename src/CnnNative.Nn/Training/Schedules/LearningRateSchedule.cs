using System.Globalization;
using System.Text.Json.Serialization;

namespace CnnNative.Nn.Training;

/// <summary>
/// How the learning rate moves during a run: a pure function of the optimizer step, the run's
/// total steps and the optimizer's base rate, so a resumed run computes exactly the rates the
/// uninterrupted one did. Stored in <see cref="TrainingSettings"/> (run.json, checkpoints).
/// <list type="bullet">
/// <item><c>constant</c>: the base rate throughout (the trainer leaves the optimizer's rate alone).</item>
/// <item><c>step</c>: the base rate × <see cref="Gamma"/> after every <see cref="StepEpochs"/> epochs.</item>
/// <item><c>cosine</c>: half a cosine from the base rate down to base × <see cref="FinalFraction"/> at the last step.</item>
/// <item><c>one-cycle</c>: up from base / <see cref="OneCycleDivisor"/> to the base rate over the first
/// <see cref="OneCycleRise"/> of the steps, then down by half a cosine to base × <see cref="FinalFraction"/>
/// (Smith's one-cycle policy, as PyTorch's OneCycleLR with linear rise).</item>
/// </list>
/// With <see cref="WarmupEpochs"/>, the rate first climbs linearly from nearly zero to the
/// schedule's starting rate; the schedule then runs over the remaining steps.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>The schedule names, in order of complexity.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "step", "cosine", "one-cycle"];

    /// <summary>The base rate throughout.</summary>
    public static LearningRateSchedule Constant { get; } = new();

    /// <summary>"constant", "step", "cosine" or "one-cycle".</summary>
    public string Name { get; init; } = "constant";

    /// <summary>Epochs of linear warm-up before the schedule (may be fractional); 0 for none.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Step schedule: epochs between decays.</summary>
    public int StepEpochs { get; init; } = 5;

    /// <summary>Step schedule: the factor of each decay.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Cosine and one-cycle: the final rate as a fraction of the base rate.</summary>
    public double FinalFraction { get; init; }

    /// <summary>One-cycle: the starting rate is the base rate divided by this.</summary>
    public double OneCycleDivisor { get; init; } = 25;

    /// <summary>One-cycle: the fraction of the (post-warm-up) steps spent rising.</summary>
    public double OneCycleRise { get; init; } = 0.3;

    /// <summary>The named schedule with its defaults and <paramref name="warmupEpochs"/> of warm-up.</summary>
    public static LearningRateSchedule For(string name, double warmupEpochs = 0) =>
        new() { Name = Canonical(name), WarmupEpochs = warmupEpochs };

    /// <summary>The canonical name; an unknown one gets a message listing the valid names.</summary>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var n in Names)
            if (n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)) return n;
        throw new TrainingSetupException(nameof(TrainingSettings.Schedule), $"'{name}' is unknown; choose one of {string.Join(", ", Names)}.");
    }

    /// <summary>True when the rate never changes (constant, no warm-up): the trainer then never sets it.</summary>
    [JsonIgnore]
    public bool IsConstant => Name == "constant" && WarmupEpochs == 0;

    /// <summary>Checks every value; a problem names <see cref="TrainingSettings.Schedule"/> or the warm-up.</summary>
    public void Validate()
    {
        Canonical(Name);
        if (!(WarmupEpochs >= 0 && double.IsFinite(WarmupEpochs)))
            throw new TrainingSetupException(nameof(WarmupEpochs), $"must be zero or a positive number of epochs, got {WarmupEpochs}.");
        if (StepEpochs < 1)
            throw new TrainingSetupException(nameof(StepEpochs), $"must be at least 1, got {StepEpochs}.");
        if (!(Gamma > 0 && Gamma <= 1))
            throw new TrainingSetupException(nameof(Gamma), $"must be in (0, 1], got {Gamma}.");
        if (!(FinalFraction >= 0 && FinalFraction <= 1))
            throw new TrainingSetupException(nameof(FinalFraction), $"must be in [0, 1], got {FinalFraction}.");
        if (!(OneCycleDivisor >= 1 && double.IsFinite(OneCycleDivisor)))
            throw new TrainingSetupException(nameof(OneCycleDivisor), $"must be at least 1, got {OneCycleDivisor}.");
        if (!(OneCycleRise > 0 && OneCycleRise < 1))
            throw new TrainingSetupException(nameof(OneCycleRise), $"must be in (0, 1), got {OneCycleRise}.");
    }

    /// <summary>
    /// The rate of optimizer step <paramref name="step"/> (0-based) of a run of
    /// <paramref name="totalSteps"/> steps, <paramref name="stepsPerEpoch"/> per epoch, whose
    /// base rate is <paramref name="baseRate"/>. Computed in double precision, then rounded once.
    /// </summary>
    public float RateAt(long step, long totalSteps, int stepsPerEpoch, float baseRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        long warmup = Math.Min((long)Math.Round(WarmupEpochs * stepsPerEpoch, MidpointRounding.AwayFromZero), Math.Max(0, totalSteps - 1));
        if (step < warmup) return (float)(Scheduled(0) * (step + 1) / (warmup + 1));
        return (float)Scheduled(step - warmup);

        // t: steps since the warm-up ended; the schedule spans the remaining steps.
        double Scheduled(long t)
        {
            double b = baseRate;
            long span = Math.Max(1, totalSteps - warmup);
            double progress = Math.Min(1.0, t / (double)Math.Max(1, span - 1));
            switch (Name)
            {
                case "step":
                    return b * Math.Pow(Gamma, t / ((long)StepEpochs * stepsPerEpoch));
                case "cosine":
                    return Cosine(b, b * FinalFraction, progress);
                case "one-cycle":
                    double start = b / OneCycleDivisor;
                    long rise = Math.Max(1, (long)Math.Round(OneCycleRise * span, MidpointRounding.AwayFromZero));
                    if (t < rise) return start + (b - start) * t / rise;
                    return Cosine(b, b * FinalFraction, Math.Min(1.0, (t - rise) / (double)Math.Max(1, span - 1 - rise)));
                default:
                    return b;
            }
        }
    }

    private static double Cosine(double from, double to, double progress) =>
        to + (from - to) * 0.5 * (1 + Math.Cos(Math.PI * progress));

    /// <summary>"cosine, 1 warm-up epoch" for logs.</summary>
    public override string ToString() =>
        WarmupEpochs == 0 ? Name : string.Create(CultureInfo.InvariantCulture, $"{Name} after {WarmupEpochs} warm-up {(WarmupEpochs == 1 ? "epoch" : "epochs")}");
}
