using Microsoft.Extensions.Configuration;

namespace CnnNative.Core;

/// <summary>
/// The <c>Compute</c> section of appsettings.json, overridden by environment variables
/// (<c>CNN_Compute__Provider=opencl</c>) and by <c>--provider</c>, in the standard
/// Microsoft.Extensions.Configuration order. Provider-specific settings live in sub-sections
/// named after the provider (<c>Compute:OpenBlas</c>, <c>Compute:OpenCl</c>).
/// </summary>
public sealed class ComputeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Compute";

    /// <summary>
    /// Upper bound of every thread-count setting (<c>Compute:Managed:Threads</c>,
    /// <c>Compute:OpenBlas:Threads</c>, <c>Compute:OpenBlas:KernelThreads</c>). Far above any
    /// useful team on today's machines; tens of thousands of threads abort the process
    /// (each needs a stack), so larger values are refused with a message instead.
    /// </summary>
    public const int MaxThreads = 1024;

    /// <summary>The provider to run on; "managed" unless configured.</summary>
    public string Provider { get; set; } = "managed";

    /// <summary>
    /// Assembly paths of providers outside the box, each declaring public
    /// <see cref="IComputeProviderFactory"/> types. A relative path is relative to the folder of
    /// the configuration file (the application's folder), not to the working directory.
    /// </summary>
    public List<string> Plugins { get; set; } = [];

    /// <summary>
    /// The most memory a model may plan to use for training or evaluation, in GiB; null (the
    /// default) follows the machine: 80 % of the memory available when the run starts. Set it
    /// to allow more (a machine whose swap or other processes you know about) or less.
    /// </summary>
    public double? MemoryLimitGiB { get; set; }

    /// <summary>The largest <see cref="MemoryLimitGiB"/> accepted (1 PiB): a larger figure is a typo, not a machine.</summary>
    public const double MaxMemoryLimitGiB = 1 << 20;

    /// <summary><see cref="MemoryLimitGiB"/> in bytes, or null when it is not set.</summary>
    public long? MemoryLimitBytes => MemoryLimitGiB is { } gib ? (long)(gib * (1L << 30)) : null;

    /// <summary>
    /// Binds the <c>Compute</c> section of <paramref name="configuration"/> (defaults where
    /// unset). The one place the section is read, for the CLI, tests, benchmarks and
    /// <c>AddCnnNative</c> alike. A value that does not convert throws
    /// <see cref="InvalidOperationException"/> naming the key.
    /// </summary>
    public static ComputeOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionName).Get<ComputeOptions>() ?? new ComputeOptions();
    }
}
