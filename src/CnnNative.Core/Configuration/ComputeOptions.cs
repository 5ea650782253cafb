namespace CnnNative.Core;

/// <summary>
/// The <c>Compute</c> section of appsettings.json, overridden by environment variables
/// (<c>CNN_Compute__Provider=opencl</c>) and by <c>--provider</c>, in the standard
/// Microsoft.Extensions.Configuration order. Provider-specific settings live in sub-sections
/// named after the provider (<c>Compute:OpenBlas</c>, <c>Compute:OpenCl</c>).
/// </summary>
public sealed class ComputeOptions
{
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

    /// <summary>Assembly paths of out-of-the-box providers to load.</summary>
    public List<string> Plugins { get; set; } = [];
}
