using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Samples.PlainProvider;

/// <summary>
/// The plugin's entry point: a public factory with a parameterless constructor, found by the
/// host in the assembly named in <c>Compute:Plugins</c>. Select it with <c>"Provider": "plain"</c>.
/// </summary>
public sealed class PlainProviderFactory : IComputeProviderFactory
{
    /// <inheritdoc/>
    public string Name => PlainProvider.ProviderName;

    /// <inheritdoc/>
    public string Description => "Sample plugin: the minimal core in plain loops, everything else from the base class's defaults";

    /// <inheritdoc/>
    public IComputeProvider Create(IConfiguration section) => new PlainProvider();
}
