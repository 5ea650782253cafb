using CnnNative.Providers.OpenCl;

// In Core's namespace on purpose: `using CnnNative.Core;` is all a caller needs to see it.
namespace CnnNative.Core;

/// <summary>Registers the "opencl" provider (this assembly's one entry in a <see cref="ProviderRegistry"/>).</summary>
public static class OpenClRegistration
{
    /// <summary>Adds the "opencl" provider's factory; its settings are read from <c>Compute:OpenCl</c>.</summary>
    public static ProviderRegistry AddOpenCl(this ProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register(new OpenClProviderFactory());
    }
}
