using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Creates the "opencl" provider on the device chosen by <c>Compute:OpenCl</c>
/// (<see cref="OpenClOptions"/>). Anything that stops it from starting on this machine — no
/// loader, no platform, no matching device, a configuration value that does not parse — is a
/// <see cref="ProviderUnavailableException"/> that says what is missing and how to fix it.
/// </summary>
internal sealed class OpenClProviderFactory : IComputeProviderFactory
{
    public const string ProviderName = "opencl";

    public string Name => ProviderName;

    public string Description => "OpenCL kernels on a GPU or any OpenCL device (Silk.NET.OpenCL; pocl runs it on the CPU)";

    public IComputeProvider Create(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        OpenClOptions options;
        try
        {
            options = OpenClOptions.From(section);
        }
        catch (ArgumentException e)
        {
            throw new ProviderUnavailableException(ProviderName, e.Message, "Fix the Compute:OpenCl section of appsettings.json (or the CNN_Compute__OpenCl__… variable).", e);
        }
        return Create(options, section["GemmTiles"], section["KernelStyle"], section["GemmTuning"], section["TuningCache"]);
    }

    /// <summary>
    /// Creates the provider for <paramref name="options"/>; <paramref name="gemmTiles"/> optionally
    /// overrides the GEMM blocking ("TM=64,TN=64,…") and <paramref name="kernelStyle"/> ("cpu",
    /// "gpu") the launch shapes and kernel forms chosen from the device type.
    /// <paramref name="gemmTuning"/> decides whether the blocking is measured (<see cref="GemmTuner"/>):
    /// "auto" (the default: on GPUs), "on" (any device) or "off"; <paramref name="tuningCache"/> is the
    /// file the choice is kept in (default <see cref="TuningCache.DefaultPath"/>).
    /// </summary>
    public OpenClProvider Create(OpenClOptions options, string? gemmTiles = null, string? kernelStyle = null,
        string? gemmTuning = null, string? tuningCache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ClDevice device = DeviceSelector.Select(options);
        ClTuning tuning;
        bool tune;
        try
        {
            tuning = ClTuning.For(device, gemmTiles, kernelStyle);
            tune = string.IsNullOrWhiteSpace(gemmTiles) && (gemmTuning?.Trim().ToLowerInvariant()) switch
            {
                null or "" or "auto" => device.IsGpu && !tuning.CpuKernels,
                "on" => true,
                "off" => false,
                _ => throw new ArgumentException($"Compute:OpenCl:GemmTuning is '{gemmTuning}'; use auto, on or off."),
            };
        }
        catch (ArgumentException e)
        {
            throw new ProviderUnavailableException(ProviderName, e.Message, "Fix Compute:OpenCl:GemmTiles / KernelStyle / GemmTuning or remove them to use the defaults.", e);
        }
        try
        {
            if (tune) tuning = Tuned(device, tuning, new TuningCache(string.IsNullOrWhiteSpace(tuningCache) ? TuningCache.DefaultPath() : tuningCache));
            return new OpenClProvider(ClRuntime.Create(device), tuning);
        }
        catch (OpenClException e)
        {
            throw new ProviderUnavailableException(ProviderName, $"the device {device} could not start: {e.Message}", DeviceSelector.InstallHint, e);
        }
    }

    /// <summary>The tuning with the GEMM blocking measured on (or cached for) this device; each candidate runs in a provider of its own.</summary>
    private static ClTuning Tuned(ClDevice device, ClTuning tuning, TuningCache cache)
    {
        lock (TuneGate) return TunedLocked(device, tuning, cache);
    }

    // One search at a time in a process: providers created side by side would otherwise time
    // their candidates against each other and both pay for the search.
    private static readonly Lock TuneGate = new();

    private static ClTuning TunedLocked(ClDevice device, ClTuning tuning, TuningCache cache)
    {
        var candidates = (tuning.CpuKernels ? GemmTuner.CpuCandidates : GemmTuner.GpuCandidates).Where(t => GemmTuner.Fits(t, device)).ToList();
        if (candidates.Count == 0) return tuning;
        var chosen = GemmTuner.Choose(GemmTuner.Key(device, tuning.CpuKernels), candidates, cache, candidate =>
        {
            using var trial = new OpenClProvider(ClRuntime.Create(device), tuning with { Gemm = candidate });
            return GemmTuner.Time(trial);
        });
        return tuning with { Gemm = chosen, GemmOrigin = $"measured on this device, cached in {cache.Path}" };
    }
}
