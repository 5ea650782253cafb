using CnnNative.Core;

namespace CnnNative.Hosting;

/// <summary>
/// The one provider catalogue of CnnNative: the built-in providers, each registered by its own
/// assembly's extension method, plus the plugins named in <c>Compute:Plugins</c>. The CLI, the
/// tests, the benchmarks and <c>AddCnnNative</c> all start from here, so a new built-in provider
/// is its own project plus one call in <see cref="AddBuiltInProviders"/>.
/// </summary>
public static class ProviderCatalog
{
    /// <summary>Registers every built-in provider: "managed", "openblas" and "opencl".</summary>
    public static ProviderRegistry AddBuiltInProviders(this ProviderRegistry registry) =>
        registry.AddManaged().AddOpenBlas().AddOpenCl();

    /// <summary>A registry of the built-in providers.</summary>
    public static ProviderRegistry CreateDefault() => new ProviderRegistry().AddBuiltInProviders();

    /// <summary>
    /// The built-in providers plus the plugins of <paramref name="options"/>; relative plugin paths
    /// start at <paramref name="baseDirectory"/> (default: the application's folder).
    /// </summary>
    public static ProviderRegistry Create(ComputeOptions options, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateDefault().LoadPlugins(options.Plugins, baseDirectory);
    }
}
