using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Core;

/// <summary>
/// The providers an application knows by name. Core lists none itself: the application
/// registers its built-in factories, and <see cref="LoadPlugins"/> adds factories from
/// assemblies named in configuration.
/// </summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IComputeProviderFactory> _factories = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _factories.Keys.Order(StringComparer.Ordinal).ToArray();

    public IEnumerable<IComputeProviderFactory> Factories => _factories.Values.OrderBy(f => f.Name, StringComparer.Ordinal);

    public ProviderRegistry Register(IComputeProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(factory.Name, factory))
            throw new InvalidOperationException($"A provider named '{factory.Name}' is already registered.");
        return this;
    }

    public bool Contains(string name) => _factories.ContainsKey(name);

    public IComputeProviderFactory Get(string name) =>
        _factories.TryGetValue(name, out var factory) ? factory : throw new UnknownProviderException(name, Names);

    /// <summary>Creates the provider named by <see cref="ComputeOptions.Provider"/> with its configuration section.</summary>
    public IComputeProvider Create(ComputeOptions options, IConfiguration computeSection)
    {
        var factory = Get(options.Provider);
        return factory.Create(SectionFor(computeSection, factory.Name));
    }

    /// <summary>Creates the named provider with an empty configuration (defaults).</summary>
    public IComputeProvider Create(string name) => Get(name).Create(new ConfigurationBuilder().Build());

    /// <summary>
    /// The provider's own section: <c>Compute:OpenBlas</c> for "openblas" (keys are
    /// case-insensitive in Microsoft.Extensions.Configuration, so the name itself finds it).
    /// </summary>
    public static IConfiguration SectionFor(IConfiguration computeSection, string providerName) =>
        computeSection.GetSection(providerName);

    /// <summary>Loads each assembly path and registers every public factory type it declares.</summary>
    public void LoadPlugins(IEnumerable<string> assemblyPaths)
    {
        foreach (string path in assemblyPaths)
        {
            string full = Path.GetFullPath(path);
            if (!File.Exists(full))
                throw new ProviderUnavailableException(Path.GetFileNameWithoutExtension(path),
                    $"the plugin assembly '{full}' named in Compute:Plugins does not exist.",
                    "Fix the path in appsettings.json or remove the entry.");
            Assembly assembly;
            try
            {
                RegularFile.Check(full);
                assembly = Assembly.LoadFrom(full);
            }
            catch (Exception e) when (e is BadImageFormatException or NotARegularFileException)
            {
                throw new ProviderUnavailableException(Path.GetFileNameWithoutExtension(path),
                    $"'{full}' named in Compute:Plugins is not a .NET assembly.",
                    "Point Compute:Plugins at the plugin's .dll built for this .NET version.", e);
            }
            var factories = assembly.GetExportedTypes()
                .Where(t => typeof(IComputeProviderFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                .ToList();
            if (factories.Count == 0)
                throw new ProviderUnavailableException(Path.GetFileNameWithoutExtension(path),
                    $"the plugin assembly '{full}' declares no public {nameof(IComputeProviderFactory)}.",
                    "Point Compute:Plugins at an assembly with a public factory class that has a parameterless constructor.");
            foreach (var type in factories)
                Register((IComputeProviderFactory)Activator.CreateInstance(type)!);
        }
    }

    /// <summary>
    /// Tries every provider once, for `cnn providers`: its info when it starts, the reason when
    /// not. A provider that fails in an unexpected way is listed with its error rather than
    /// aborting the listing; only cancellation stops it.
    /// </summary>
    public IReadOnlyList<ProviderStatus> Probe(IConfiguration computeSection, CancellationToken cancellationToken = default)
    {
        var result = new List<ProviderStatus>();
        foreach (var factory in Factories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var provider = factory.Create(SectionFor(computeSection, factory.Name));
                result.Add(new ProviderStatus(factory.Name, factory.Description, provider.Info, null));
            }
            catch (ProviderUnavailableException e)
            {
                result.Add(new ProviderStatus(factory.Name, factory.Description, null, e.Message));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                result.Add(new ProviderStatus(factory.Name, factory.Description, null,
                    $"Provider '{factory.Name}' failed to start: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}"));
            }
        }
        return result;
    }
}

/// <summary>One row of `cnn providers`: available with <see cref="Info"/>, or not with <see cref="Problem"/>.</summary>
public sealed record ProviderStatus(string Name, string Description, ProviderInfo? Info, string? Problem)
{
    public bool Available => Info is not null;
}
