using Microsoft.Extensions.Configuration;

namespace CnnNative.Core;

/// <summary>
/// The providers an application knows by name. Core lists none itself: each provider assembly
/// registers itself with an extension method (<c>registry.AddManaged()</c>), the default
/// catalogue (CnnNative.Hosting's <c>ProviderCatalog</c>) calls them, and
/// <see cref="LoadPlugins"/> adds factories from assemblies named in configuration.
/// Every provider it starts must derive from <see cref="ComputeProvider"/>: one that only
/// implements <see cref="IComputeProvider"/> is refused, because nothing would validate its calls.
/// </summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IComputeProviderFactory> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyCollection<string> Names => _factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The registered factories, sorted by name.</summary>
    public IEnumerable<IComputeProviderFactory> Factories => _factories.Values.OrderBy(f => f.Name, StringComparer.Ordinal);

    /// <summary>Adds a factory; a second factory with the same name (any case) is an error.</summary>
    public ProviderRegistry Register(IComputeProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(factory.Name, factory))
            throw new InvalidOperationException($"A provider named '{factory.Name}' is already registered.");
        return this;
    }

    /// <summary>Whether a factory answers to <paramref name="name"/> (any case).</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>The factory for <paramref name="name"/>, or <see cref="UnknownProviderException"/> listing the valid names.</summary>
    public IComputeProviderFactory Get(string name) =>
        _factories.TryGetValue(name, out var factory) ? factory : throw new UnknownProviderException(name, Names);

    /// <summary>Creates the provider named by <see cref="ComputeOptions.Provider"/> with its configuration section.</summary>
    public IComputeProvider Create(ComputeOptions options, IConfiguration computeSection)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options.Provider, computeSection);
    }

    /// <summary>Creates the named provider with its sub-section of <paramref name="computeSection"/>.</summary>
    public IComputeProvider Create(string name, IConfiguration computeSection)
    {
        ArgumentNullException.ThrowIfNull(computeSection);
        var factory = Get(name);
        return Start(factory, SectionFor(computeSection, factory.Name));
    }

    /// <summary>Creates the named provider with an empty configuration (defaults).</summary>
    public IComputeProvider Create(string name) => Create(name, new ConfigurationBuilder().Build());

    /// <summary>
    /// The provider's own section: <c>Compute:OpenBlas</c> for "openblas" (keys are
    /// case-insensitive in Microsoft.Extensions.Configuration, so the name itself finds it).
    /// </summary>
    public static IConfiguration SectionFor(IConfiguration computeSection, string providerName) =>
        computeSection.GetSection(providerName);

    /// <summary>
    /// Loads each plugin assembly (see <see cref="PluginAssemblies"/>) and registers every public
    /// factory type it declares. Relative paths are resolved against <paramref name="baseDirectory"/>
    /// (default: the application's folder, where appsettings.json lives).
    /// </summary>
    public ProviderRegistry LoadPlugins(IEnumerable<string> assemblyPaths, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(assemblyPaths);
        int index = 0;
        foreach (string path in assemblyPaths)
        {
            string key = $"{ComputeOptions.SectionName}:{nameof(ComputeOptions.Plugins)}:{index++}";
            foreach (var factory in PluginAssemblies.Factories(path, baseDirectory ?? AppContext.BaseDirectory, key))
                Register(factory);
        }
        return this;
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
                using var provider = Start(factory, SectionFor(computeSection, factory.Name));
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

    /// <summary>
    /// Starts a provider and refuses one that does not derive from <see cref="ComputeProvider"/>.
    /// Refused rather than wrapped: a validating adapter would have to translate every tensor
    /// (a buffer belongs to the provider that made it), costing an allocation per call and
    /// breaking the allocation-free training step; the base class is the cheap, documented route.
    /// </summary>
    private static IComputeProvider Start(IComputeProviderFactory factory, IConfiguration section)
    {
        IComputeProvider provider = factory.Create(section)
            ?? throw new InvalidOperationException($"The factory {factory.GetType().FullName} of provider '{factory.Name}' returned null.");
        if (provider is ComputeProvider) return provider;
        string type = provider.GetType().FullName ?? provider.GetType().Name;
        provider.Dispose();
        throw new ProviderUnavailableException(factory.Name,
            $"its factory returned {type}, which implements {nameof(IComputeProvider)} without deriving from {typeof(ComputeProvider).FullName}, so nothing would validate its calls.",
            $"Derive the provider from {nameof(ComputeProvider)}: it checks every argument once and supplies composite defaults, so only the minimal core (docs/providers.md) needs writing.");
    }
}

/// <summary>One row of `cnn providers`: available with <see cref="Info"/>, or not with <see cref="Problem"/>.</summary>
/// <param name="Name">The name users put in configuration.</param>
/// <param name="Description">The factory's one-line description.</param>
/// <param name="Info">What the provider runs on, when it started.</param>
/// <param name="Problem">Why it did not start, when it did not.</param>
public sealed record ProviderStatus(string Name, string Description, ProviderInfo? Info, string? Problem)
{
    /// <summary>True when the provider started on this machine.</summary>
    public bool Available => Info is not null;
}
