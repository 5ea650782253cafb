using CnnNative.Providers.Managed;

// In Core's namespace on purpose: `using CnnNative.Core;` is all a caller needs to see it.
namespace CnnNative.Core;

/// <summary>Registers the "managed" provider (this assembly's one entry in a <see cref="ProviderRegistry"/>).</summary>
public static class ManagedRegistration
{
    /// <summary>Adds the "managed" provider's factory; its settings are read from <c>Compute:Managed</c>.</summary>
    public static ProviderRegistry AddManaged(this ProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register(new ManagedProviderFactory());
    }
}
