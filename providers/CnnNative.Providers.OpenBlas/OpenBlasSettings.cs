using System.Globalization;
using CnnNative.Core;
using CnnNative.Core.Native;
using CnnNative.Providers.Managed;
using CnnNative.Providers.OpenBlas.Interop;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.OpenBlas;

/// <summary>
/// The <c>Compute:OpenBlas</c> section: <c>LibraryPath</c> (a file, a folder, or a library
/// name; the environment variable <c>CNN_OPENBLAS_LIBRARY</c> is used when the key is absent),
/// <c>KernelThreads</c> (the managed kernels' worker team; default: every core) and
/// <c>Threads</c> (OpenBLAS's threads, <c>openblas_set_num_threads</c>; default: every core
/// when the kernels run on one thread, otherwise 1 — see <see cref="DefaultBlasThreads"/>) and
/// <c>ConvolutionAlgorithm</c> (the managed provider's setting: <c>auto</c>, <c>im2col</c>, <c>winograd</c> …).
/// </summary>
internal sealed record OpenBlasSettings(LibrarySetting? Library, int Threads, int KernelThreads)
{
    /// <summary><c>ConvolutionAlgorithm</c>: as the managed provider's setting (<c>auto</c> when absent).</summary>
    public ConvolutionAlgorithm ConvolutionAlgorithm { get; init; }

    public const string LibraryPathKey = "LibraryPath";
    public const string ThreadsKey = "Threads";
    public const string KernelThreadsKey = "KernelThreads";
    public const string LibraryPathSetting = "Compute:OpenBlas:LibraryPath";
    public const string LibraryEnvironmentVariable = "CNN_OPENBLAS_LIBRARY";

    public static OpenBlasSettings From(IConfiguration section) => From(section, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="From(IConfiguration)"/> with the environment passed in (tests must not change the process's).</summary>
    public static OpenBlasSettings From(IConfiguration section, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(section);
        int cores = Environment.ProcessorCount;
        int kernelThreads = Count(section[KernelThreadsKey], "KernelThreads", cores);
        int threads = Count(section[ThreadsKey], "Threads", DefaultBlasThreads(kernelThreads, cores));
        return new OpenBlasSettings(LibraryFrom(section, environment), threads, kernelThreads)
        {
            ConvolutionAlgorithm = ManagedProviderFactory.ReadConvolutionAlgorithm(section, "openblas", "Compute:OpenBlas"),
        };
    }

    private static LibrarySetting? LibraryFrom(IConfiguration section, Func<string, string?> environment)
    {
        string? configured = section[LibraryPathKey];
        if (!string.IsNullOrWhiteSpace(configured)) return new LibrarySetting(configured.Trim(), LibraryPathSetting);
        string? fromEnvironment = environment(LibraryEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new LibrarySetting(fromEnvironment.Trim(), LibraryEnvironmentVariable);
        return null;
    }

    /// <summary>
    /// The cores go to one team, not both. OpenBLAS's pthread workers do not sleep after a call:
    /// they spin (sched_yield) for 2^28 cycles, about 0.1 s, which in a training step covers
    /// every managed kernel that follows the GEMM, so two wide teams fight over the cores.
    /// Measured on the SimpleConvNet step (batch 100, 2 cores, OpenBlasThreadingBenchmarks and
    /// native/README.md): the step's GEMMs are ~35% of its single-thread time and barely
    /// speed up with OpenBLAS threads at these shapes (K = 25, 100), while the managed kernels
    /// are ~65%; OpenBLAS 1 thread + kernels on every core was fastest and used the least CPU.
    /// A network whose GEMMs dominate can set <c>KernelThreads = 1</c>, which gives OpenBLAS
    /// every core, or set both explicitly.
    /// </summary>
    public static int DefaultBlasThreads(int kernelThreads, int cores) => kernelThreads > 1 ? 1 : cores;

    private static int Count(string? value, string key, int fallback)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int threads) && threads >= 1 && threads <= ComputeOptions.MaxThreads)
            return threads;
        throw new ProviderUnavailableException("openblas",
            $"Compute:OpenBlas:{key} is '{value}', which is not a whole number from 1 to {ComputeOptions.MaxThreads}.",
            $"Set it to a thread count such as {Environment.ProcessorCount}, or remove it for the default.");
    }
}
