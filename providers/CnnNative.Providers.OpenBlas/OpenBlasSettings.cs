using System.Globalization;
using CnnNative.Core;
using CnnNative.Providers.OpenBlas.Interop;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.OpenBlas;

/// <summary>
/// The <c>Compute:OpenBlas</c> section: <c>LibraryPath</c> (a file, a folder, or a library
/// name; the environment variable <c>CNN_OPENBLAS_LIBRARY</c> is used when the key is absent)
/// and <c>Threads</c> (OpenBLAS worker threads; default: every core).
/// </summary>
internal sealed record OpenBlasSettings(LibrarySetting? Library, int Threads, int KernelThreads)
{
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
        int threads = Count(section[ThreadsKey], "Threads", Environment.ProcessorCount);
        int kernelThreads = Count(section[KernelThreadsKey], "KernelThreads", Environment.ProcessorCount);
        return new OpenBlasSettings(LibraryFrom(section, environment), threads, kernelThreads);
    }

    private static LibrarySetting? LibraryFrom(IConfiguration section, Func<string, string?> environment)
    {
        string? configured = section[LibraryPathKey];
        if (!string.IsNullOrWhiteSpace(configured)) return new LibrarySetting(configured.Trim(), LibraryPathSetting);
        string? fromEnvironment = environment(LibraryEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new LibrarySetting(fromEnvironment.Trim(), LibraryEnvironmentVariable);
        return null;
    }

    private static int Count(string? value, string key, int fallback)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int threads) && threads >= 1)
            return threads;
        throw new ProviderUnavailableException("openblas",
            $"Compute:OpenBlas:{key} is '{value}', which is not a whole number of at least 1.",
            $"Set it to a thread count such as {Environment.ProcessorCount}, or remove it for the default.");
    }
}
