using System.Collections.Concurrent;
using CnnNative.Core;
using CnnNative.Providers.Managed;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Every provider the tests know, created by name through the same <see cref="ProviderRegistry"/>
/// the application uses. Binding a new provider to the tests starts with one line in
/// <see cref="BuildRegistry"/>.
/// </summary>
public static class TestProviders
{
    private static readonly ProviderRegistry Registry = BuildRegistry();
    private static readonly ConcurrentDictionary<string, Lazy<ProviderProbe>> Probes = new(StringComparer.OrdinalIgnoreCase);

    private static ProviderRegistry BuildRegistry() => new ProviderRegistry()
        .Register(new ReferenceProviderFactory())
        .Register(new ManagedProviderFactory())
        .Register(new CnnNative.Providers.OpenBlas.OpenBlasProviderFactory())
        .Register(new CnnNative.Providers.OpenCl.OpenClProviderFactory());

    /// <summary>The registered names, sorted.</summary>
    public static IReadOnlyCollection<string> Names => Registry.Names;

    /// <summary>
    /// A fresh provider with default configuration. Throws <see cref="UnknownProviderException"/>
    /// for a name no factory answers to and <see cref="ProviderUnavailableException"/> when the
    /// provider cannot run here; the caller owns (disposes) the result.
    /// </summary>
    public static IComputeProvider Create(string name) => Registry.Create(name);

    /// <summary>Whether the named provider starts on this machine; probed once per test run.</summary>
    public static ProviderProbe Probe(string name) =>
        Probes.GetOrAdd(name, n => new Lazy<ProviderProbe>(() => ProviderProbe.Run(Registry, n))).Value;
}
