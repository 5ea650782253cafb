using System.Collections;
using CnnNative.Core;
using CnnNative.Providers.Managed;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Bench;

/// <summary>
/// The providers benchmarks can run on, by configuration name. A suite takes
/// <c>[Params("managed", …)] string Provider</c> and calls <see cref="Create"/>; adding a
/// provider to every suite is one line in <see cref="Registry"/>. Provider settings come from
/// the same environment variables the CLI reads (<c>CNN_Compute__Managed__Threads=1</c>).
/// </summary>
public static class BenchProviders
{
    private static ProviderRegistry Registry() => new ProviderRegistry()
        .Register(new ManagedProviderFactory())
        .Register(new CnnNative.Providers.OpenBlas.OpenBlasProviderFactory())
        .Register(new CnnNative.Providers.OpenCl.OpenClProviderFactory());

    /// <summary>Starts the named provider with its <c>CNN_Compute__&lt;Name&gt;__…</c> settings.</summary>
    public static IComputeProvider Create(string name)
    {
        var registry = Registry();
        return registry.Get(name).Create(ProviderRegistry.SectionFor(ComputeSection(), name));
    }

    /// <summary>Every registered name.</summary>
    public static IReadOnlyCollection<string> Names => Registry().Names;

    private static IConfiguration ComputeSection()
    {
        const string prefix = "CNN_Compute__";
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            string key = (string)e.Key;
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                settings[key[prefix.Length..].Replace("__", ":")] = e.Value as string;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
