using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.Managed;

/// <summary>
/// Creates the "managed" provider. Configuration (section <c>Compute:Managed</c>):
/// <c>Threads</c> — worker threads including the caller (1 to <see cref="ComputeOptions.MaxThreads"/>), default every logical processor.
/// </summary>
public sealed class ManagedProviderFactory : IComputeProviderFactory
{
    public string Name => "managed";

    public string Description => "C# SIMD kernels (Vector512/Vector256) with our own packed SGEMM; runs everywhere.";

    public IComputeProvider Create(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new ManagedProvider(ReadThreads(section));
    }

    /// <summary>The <c>Threads</c> setting, or the processor count when it is absent.</summary>
    public static int ReadThreads(IConfiguration section)
    {
        string? text = section["Threads"];
        if (string.IsNullOrWhiteSpace(text)) return Environment.ProcessorCount;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int threads)
            || threads < 1 || threads > ComputeOptions.MaxThreads)
            throw new ProviderUnavailableException("managed",
                $"Compute:Managed:Threads is '{text}', which is not a whole number from 1 to {ComputeOptions.MaxThreads}.",
                $"Remove it to use all {Environment.ProcessorCount} processors, or set a thread count in that range.");
        return threads;
    }
}
