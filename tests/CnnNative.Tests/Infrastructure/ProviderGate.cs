namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Decides whether tests of a provider run or are skipped. Only one case skips: the provider
/// said it cannot run here (<see cref="ProbeOutcome.Unavailable"/>) and
/// <see cref="RequiredProviders"/> does not name it. Everything else runs, so a required but
/// missing provider, an unknown name or a factory that throws the wrong exception fails
/// loudly with its reason instead of vanishing from the report.
/// </summary>
public static class ProviderGate
{
    /// <summary>The skip reason for tests of <paramref name="provider"/> in this process, or null to run them.</summary>
    public static string? SkipReason(string provider) =>
        RequiredProviders.Contains(provider) ? null : Decide(TestProviders.Probe(provider), required: false);

    /// <summary>The rule itself, free of the environment so it can be tested.</summary>
    public static string? Decide(ProviderProbe probe, bool required) =>
        !required && probe.Outcome == ProbeOutcome.Unavailable
            ? $"{probe.Reason} (skipped; {RequiredProviders.Variable}={probe.Name} would make this a failure)"
            : null;
}
