using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.Managed;

/// <summary>
/// Creates the "managed" provider. Configuration (section <c>Compute:Managed</c>):
/// <c>Threads</c> — worker threads including the caller, default every logical processor;
/// <c>ConvolutionAlgorithm</c> — <c>auto</c> (default: measure once per layer geometry and keep the
/// fastest), or <c>im2col</c>, <c>direct</c>, <c>winograd</c> to force one where it applies (runs
/// that must repeat bit for bit, accuracy comparisons).
/// </summary>
public sealed class ManagedProviderFactory : IComputeProviderFactory
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
    public static ConvolutionAlgorithm ReadConvolutionAlgorithm(IConfiguration section)
    {
        string? text = section["ConvolutionAlgorithm"];
        if (string.IsNullOrWhiteSpace(text)) return ConvolutionAlgorithm.Auto;
        if (!Enum.TryParse(text.Trim(), ignoreCase: true, out ConvolutionAlgorithm algorithm) || !Enum.IsDefined(algorithm))
            throw new ArgumentOutOfRangeException("ConvolutionAlgorithm", text,
                $"Compute:Managed:ConvolutionAlgorithm must be one of {string.Join(", ", Enum.GetNames<ConvolutionAlgorithm>().Select(n => n.ToLowerInvariant()))}, got '{text}'.");
        return algorithm;
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
