using CnnNative.Core;

namespace CnnNative.Cli;

/// <summary>
/// The providers compiled into `cnn`, one <c>Register</c> line each; out-of-the-box providers
/// come from <c>Compute:Plugins</c> instead. Core lists no provider itself, so this is the
/// single place the tool names them. A provider project contributes its line when its
/// factory class exists on main (managed: <c>CnnNative.Providers.Managed.ManagedProviderFactory</c>).
/// </summary>
public static class BuiltInProviders
{
    public static void Register(ProviderRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
    }
}
