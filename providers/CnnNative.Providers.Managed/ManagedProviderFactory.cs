using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.Managed;

/// <summary>
/// Creates the "managed" provider. Configuration (section <c>Compute:Managed</c>):
/// <c>Threads</c> — worker threads including the caller (1 to <see cref="ComputeOptions.MaxThreads"/>), default every logical processor;
/// <c>ConvolutionAlgorithm</c> — <c>auto</c> (default: measure once per layer geometry and keep the
/// fastest), or <c>im2col</c>, <c>shiftedgemm</c>, <c>direct</c>, <c>winograd</c> to force one where it applies (runs
/// that must repeat bit for bit, accuracy comparisons).
/// </summary>
internal sealed class ManagedProviderFactory : IComputeProviderFactory
{
    public string Name => "managed";

    public string Description => "C# SIMD kernels (Vector512/Vector256) with our own packed SGEMM; runs everywhere.";

    public IComputeProvider Create(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var algorithm = ReadConvolutionAlgorithm(section);
        return new ManagedProvider(ReadThreads(section)) { ConvolutionAlgorithm = algorithm };
    }

    /// <summary>The <c>ConvolutionAlgorithm</c> setting, <see cref="ConvolutionAlgorithm.Auto"/> when absent.</summary>
    public static ConvolutionAlgorithm ReadConvolutionAlgorithm(IConfiguration section) =>
        ReadConvolutionAlgorithm(section, "managed", "Compute:Managed");

    /// <summary>
    /// The <c>ConvolutionAlgorithm</c> setting of a provider built on the managed one (OpenBLAS's),
    /// <see cref="ConvolutionAlgorithm.Auto"/> when absent; a bad value names <paramref name="provider"/>
    /// and its <paramref name="sectionPath"/>.
    /// </summary>
    public static ConvolutionAlgorithm ReadConvolutionAlgorithm(IConfiguration section, string provider, string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? text = section["ConvolutionAlgorithm"];
        if (string.IsNullOrWhiteSpace(text)) return ConvolutionAlgorithm.Auto;
        if (!Enum.TryParse(text.Trim(), ignoreCase: true, out ConvolutionAlgorithm algorithm) || !Enum.IsDefined(algorithm))
            throw new ProviderUnavailableException(provider,
                $"{sectionPath}:ConvolutionAlgorithm is '{text}', which is not an algorithm the {provider} provider has.",
                $"Set it to one of {string.Join(", ", Enum.GetNames<ConvolutionAlgorithm>().Select(n => n.ToLowerInvariant()))}, or remove it to measure and pick per layer.");
        return algorithm;
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
