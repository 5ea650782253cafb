using CnnNative.Core;
using CnnNative.Hosting;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Bench;

/// <summary>
/// The providers benchmarks can run on, by configuration name. A suite takes
/// <c>[ParamsSource(nameof(BenchProviders.Available))] string Provider</c> (or a fixed
/// <c>[Params("managed", …)]</c>) and calls <see cref="Create"/>. The providers are the
/// catalogue's (<see cref="ProviderCatalog"/>: the built-ins plus <c>Compute:Plugins</c>), so a
/// new provider reaches every suite without a line here. Provider settings come from the same
/// configuration the CLI reads (<c>CNN_Compute__Managed__Threads=1</c>);
/// <c>CNN_BENCH_PROVIDERS=managed,opencl</c> narrows the list.
/// </summary>
public static class BenchProviders
{
    /// <summary>Restricts <see cref="Available"/> to a comma-separated list of names.</summary>
    public const string FilterVariable = "CNN_BENCH_PROVIDERS";

    private static readonly Lazy<IReadOnlyList<string>> AvailableNames = new(ProbeAvailable);

    private static readonly Lazy<IConfiguration> Configuration = new(() => CnnNativeConfiguration.Build());

    private static readonly Lazy<ProviderRegistry> Catalogue = new(() => ProviderCatalog.Create(ComputeOptions.Bind(Configuration.Value)));

    private static ProviderRegistry Registry() => Catalogue.Value;

    /// <summary>Starts the named provider with its <c>CNN_Compute__&lt;Name&gt;__…</c> settings.</summary>
    public static IComputeProvider Create(string name) => Registry().Create(name, ComputeSection());

    /// <summary>Every registered name.</summary>
    public static IReadOnlyCollection<string> Names => Registry().Names;

    /// <summary>
    /// The registered providers that start on this machine (probed once per process), in
    /// registry order, narrowed by <see cref="FilterVariable"/>. An unavailable provider is
    /// left out with its reason on standard error, so a suite never fails for a missing library.
    /// </summary>
    public static IReadOnlyList<string> Available => AvailableNames.Value;

    private static IReadOnlyList<string> ProbeAvailable()
    {
        var wanted = Wanted();
        var names = new List<string>();
        foreach (var status in Registry().Probe(ComputeSection()))
        {
            if (wanted is not null && !wanted.Contains(status.Name)) continue;
            if (status.Available) names.Add(status.Name);
            else Console.Error.WriteLine($"benchmarks: skipping {status.Problem}");
        }
        return names;
    }

    private static HashSet<string>? Wanted()
    {
        string? value = Environment.GetEnvironmentVariable(FilterVariable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        return new HashSet<string>(
            value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            StringComparer.OrdinalIgnoreCase);
    }

    private static IConfiguration ComputeSection() => Configuration.Value.GetSection(ComputeOptions.SectionName);
}
