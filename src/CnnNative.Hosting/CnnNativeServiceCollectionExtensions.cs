using CnnNative.Core;
using CnnNative.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// The .NET convention for registration extensions: visible wherever services are configured.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddCnnNative(configuration)</c>: CnnNative's providers for a host application.</summary>
public static class CnnNativeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ComputeOptions"/> bound to the <c>Compute</c> section of
    /// <paramref name="configuration"/>, the <see cref="ProviderRegistry"/> (built-in providers,
    /// <paramref name="registerMore"/>, then the plugins of <c>Compute:Plugins</c>) and the
    /// selected <see cref="IComputeProvider"/> as singletons. The provider starts on first
    /// resolution and is disposed with the container; one that cannot run here throws
    /// <see cref="ProviderUnavailableException"/> saying what is missing.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration root (it holds the <c>Compute</c> section).</param>
    /// <param name="registerMore">Registers further providers in code (optional).</param>
    public static IServiceCollection AddCnnNative(this IServiceCollection services, IConfiguration configuration,
        Action<ProviderRegistry>? registerMore = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection compute = configuration.GetSection(ComputeOptions.SectionName);
        services.AddOptions<ComputeOptions>().Bind(compute);
        services.TryAddSingleton(sp =>
        {
            var registry = ProviderCatalog.CreateDefault();
            registerMore?.Invoke(registry);
            return registry.LoadPlugins(sp.GetRequiredService<IOptions<ComputeOptions>>().Value.Plugins);
        });
        services.TryAddSingleton<IComputeProvider>(sp =>
            sp.GetRequiredService<ProviderRegistry>().Create(sp.GetRequiredService<IOptions<ComputeOptions>>().Value, compute));
        return services;
    }
}
