using Microsoft.Extensions.Configuration;

namespace CnnNative.Core;

/// <summary>
/// Creates one kind of provider. Built-in factories are registered by the application; a
/// plugin assembly named in <c>Compute:Plugins</c> contributes its public factories (types
/// with a parameterless constructor).
/// </summary>
public interface IComputeProviderFactory
{
    /// <summary>The name users put in configuration (lower case).</summary>
    string Name { get; }

    /// <summary>One line for `cnn providers`.</summary>
    string Description { get; }

    /// <summary>
    /// Starts the provider with its own configuration section (<c>Compute:&lt;Name&gt;</c>, possibly empty).
    /// Throws <see cref="ProviderUnavailableException"/> when it cannot run on this machine.
    /// </summary>
    IComputeProvider Create(IConfiguration section);
}
