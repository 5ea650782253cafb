using System.Collections.Concurrent;
using CnnNative.Core;
using CnnNative.Hosting;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Every provider the tests know, created by name through the application's own catalogue
/// (<see cref="ProviderCatalog"/>): the built-ins, the plugins named in testsettings.json (the
/// sample "plain" provider, loaded by path as a host would) and the test-only oracle. A new
/// built-in provider reaches the tests through the catalogue, without a line here.
/// </summary>
public static class TestProviders
{
    /// <summary>The tests' settings file: the Compute section (plugins) a host would have in appsettings.json.</summary>
    public const string SettingsFile = "testsettings.json";

    private static readonly ProviderRegistry Registry = BuildRegistry();
    private static readonly ConcurrentDictionary<string, Lazy<ProviderProbe>> Probes = new(StringComparer.OrdinalIgnoreCase);

    private static ProviderRegistry BuildRegistry()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, SettingsFile), optional: false).Build();
        return ProviderCatalog.Create(ComputeOptions.Bind(settings), AppContext.BaseDirectory)
            .Register(new ReferenceProviderFactory());
    }

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
