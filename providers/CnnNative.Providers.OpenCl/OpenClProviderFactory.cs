using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Creates the "opencl" provider on the device chosen by <c>Compute:OpenCl</c>
/// (<see cref="OpenClOptions"/>). Anything that stops it from starting on this machine — no
/// loader, no platform, no matching device, a configuration value that does not parse — is a
/// <see cref="ProviderUnavailableException"/> that says what is missing and how to fix it.
/// </summary>
public sealed class OpenClProviderFactory : IComputeProviderFactory
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
        return Create(options, section["GemmTiles"], section["KernelStyle"]);
    }

    /// <summary>
    /// Creates the provider for <paramref name="options"/>; <paramref name="gemmTiles"/> optionally
    /// overrides the GEMM blocking ("TM=64,TN=64,…") and <paramref name="kernelStyle"/> ("cpu",
    /// "gpu") the launch shapes and kernel forms chosen from the device type.
    /// </summary>
    public OpenClProvider Create(OpenClOptions options, string? gemmTiles = null, string? kernelStyle = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ClDevice device = DeviceSelector.Select(options);
        ClTuning tuning;
        try
        {
            tuning = ClTuning.For(device, gemmTiles, kernelStyle);
        }
        catch (ArgumentException e)
        {
            throw new ProviderUnavailableException(ProviderName, e.Message, "Fix Compute:OpenCl:GemmTiles / KernelStyle or remove them to use the defaults.", e);
        }
        ClRuntime runtime;
        try
        {
            runtime = ClRuntime.Create(device);
        }
        catch (OpenClException e)
        {
            throw new ProviderUnavailableException(ProviderName, $"the device {device} could not start: {e.Message}", DeviceSelector.InstallHint, e);
        }
        return new OpenClProvider(runtime, tuning);
    }
}
