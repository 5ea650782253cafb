using CnnNative.Nn;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// <c>--loss</c> and <c>--label-smoothing</c>: they set the model's "loss" entry (which the
/// checkpoint stores, so a resumed run keeps it), checked here in terms of the flags.
/// </summary>
internal static class LossChoice
{
    /// <summary><paramref name="spec"/> with the loss the request asks for (its own loss, or the default, when neither flag is given).</summary>
    public static ModelSpec Apply(TrainingRequest request, ModelSpec spec)
    {
        if (request.Loss is null && request.LabelSmoothing is null) return spec;
        string type = request.Loss is null ? spec.Loss?.Type ?? SoftmaxWithLoss.Name : Canonical(request.Loss);
        float? smoothing = request.LabelSmoothing ?? (request.Loss is null ? spec.Loss?.LabelSmoothing : null);
        if (smoothing is { } e)
        {
            if (!string.Equals(type, SoftmaxWithLoss.Name, StringComparison.OrdinalIgnoreCase))
                throw new TrainingSetupException($"--label-smoothing applies to the {SoftmaxWithLoss.Name} loss only, not to {type}; drop it or choose --loss {SoftmaxWithLoss.Name}.");
            if (!(e >= 0f && e < 1f))
                throw new TrainingSetupException($"--label-smoothing must be at least 0 and below 1 (such as 0.1), got {e}.");
        }
        var loss = new LossSpec { Type = type, LabelSmoothing = smoothing is 0f ? null : smoothing };
        return spec with { Loss = loss == new LossSpec() ? null : loss };
    }

    /// <summary>Refuses a flag that differs from the loss the checkpoint trained with: a resumed run keeps it.</summary>
    public static void CheckResumed(TrainingRequest request, ModelSpec saved)
    {
        string savedType = saved.Loss?.Type ?? SoftmaxWithLoss.Name;
        float savedSmoothing = saved.Loss?.LabelSmoothing ?? 0f;
        if (request.Loss is { } asked && !string.Equals(Canonical(asked), savedType, StringComparison.OrdinalIgnoreCase))
            throw Conflict("--loss", asked, savedType);
        if (request.LabelSmoothing is { } smoothing && smoothing != savedSmoothing)
            throw Conflict("--label-smoothing", smoothing.ToString(System.Globalization.CultureInfo.InvariantCulture),
                savedSmoothing.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Canonical(string asked)
    {
        foreach (string type in LossSpec.Types)
            if (string.Equals(type, asked.Trim(), StringComparison.OrdinalIgnoreCase)) return type;
        throw new TrainingSetupException($"--loss '{asked}' is unknown; choose {string.Join(" or ", LossSpec.Types)}.");
    }

    private static TrainingSetupException Conflict(string option, string asked, string saved) =>
        new($"{option} {asked} differs from the checkpoint's {saved}; a resumed run keeps the checkpoint's loss, so drop {option}.");
}
