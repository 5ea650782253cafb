using CnnNative.Core;

namespace CnnNative.Tests.Infrastructure;

/// <summary>What happened when a provider was started once: it ran, it said why it cannot, or it is not known.</summary>
public enum ProbeOutcome
{
    /// <summary>The factory created the provider.</summary>
    Available,

    /// <summary>The factory threw <see cref="ProviderUnavailableException"/>: a legitimate "not on this machine".</summary>
    Unavailable,

    /// <summary>No factory is registered under the name (a test wiring mistake, never a reason to skip).</summary>
    Unknown,

    /// <summary>The factory threw anything else: a provider bug (a bare DllNotFoundException, say), never a reason to skip.</summary>
    Broken,
}

/// <summary>The result of starting a provider once; <see cref="Reason"/> is the message to show when it did not start.</summary>
public sealed record ProviderProbe(string Name, ProbeOutcome Outcome, string? Reason)
{
    public bool Available => Outcome == ProbeOutcome.Available;

    /// <summary>Creates and disposes the named provider, classifying any failure.</summary>
    public static ProviderProbe Run(ProviderRegistry registry, string name)
    {
        if (!registry.Contains(name))
            return new(name, ProbeOutcome.Unknown,
                $"no factory named '{name}' is registered in the tests (known: {string.Join(", ", registry.Names)}); register it in the catalogue (ProviderCatalog) or name its plugin in testsettings.json.");
        try
        {
            using var provider = registry.Create(name);
            return new(name, ProbeOutcome.Available, null);
        }
        catch (ProviderUnavailableException e)
        {
            return new(name, ProbeOutcome.Unavailable, e.Message);
        }
        catch (Exception e)
        {
            return new(name, ProbeOutcome.Broken,
                $"creating '{name}' threw {e.GetType().Name} instead of ProviderUnavailableException: {e.Message}");
        }
    }
}
