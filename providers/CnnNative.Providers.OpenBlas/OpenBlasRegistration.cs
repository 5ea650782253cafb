using CnnNative.Providers.OpenBlas;

// In Core's namespace on purpose: `using CnnNative.Core;` is all a caller needs to see it.
namespace CnnNative.Core;

/// <summary>Registers the "openblas" provider (this assembly's one entry in a <see cref="ProviderRegistry"/>).</summary>
public static class OpenBlasRegistration
{
    /// <summary>Adds the "openblas" provider's factory; its settings are read from <c>Compute:OpenBlas</c>.</summary>
    public static ProviderRegistry AddOpenBlas(this ProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register(new OpenBlasProviderFactory());
    }
}
