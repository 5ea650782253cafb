using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.Managed;

/// <summary>
/// Creates the "managed" provider. Configuration (section <c>Compute:Managed</c>):
/// <c>Threads</c> — worker threads including the caller, default every logical processor.
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
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int threads) || threads < 1)
            throw new ArgumentOutOfRangeException("Threads", text,
                $"Compute:Managed:Threads must be a whole number of at least 1, got '{text}'. Remove it to use all {Environment.ProcessorCount} processors.");
        return threads;
    }
}
