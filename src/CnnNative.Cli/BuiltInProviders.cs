using CnnNative.Core;

namespace CnnNative.Cli;

/// <summary>
/// The providers compiled into `cnn`, one <c>Register</c> line each; out-of-the-box providers
/// come from <c>Compute:Plugins</c> instead. Core lists no provider itself, so this is the
/// single place the tool names them: each provider project adds its factory line here.
/// </summary>
public static class BuiltInProviders
{
    public static void Register(ProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new CnnNative.Providers.Managed.ManagedProviderFactory());
        registry.Register(new CnnNative.Providers.OpenBlas.OpenBlasProviderFactory());
        registry.Register(new CnnNative.Providers.OpenCl.OpenClProviderFactory());
    }
}
