using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using CnnNative.Core;
using CnnNative.Core.Native;
using Silk.NET.OpenCL;

namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>The OpenCL library in use: the file actually mapped and the rule that found it.</summary>
internal sealed record OpenClLibraryInfo(string File, string Origin);

/// <summary>
/// Finds the OpenCL library (normally the ICD loader <c>libOpenCL.so.1</c>) by an explained
/// search and owns the process's one Silk.NET <see cref="CL"/> API object over it. With a
/// setting (<c>Compute:OpenCl:LibraryPath</c>, else <c>CNN_OPENCL_LIBRARY</c>) only that is
/// tried; otherwise the app's <c>runtimes/&lt;rid&gt;/native</c> folder, then the system names
/// (versioned soname first: the unversioned <c>libOpenCL.so</c> only exists with the -dev
/// package). A candidate that loads but lacks the OpenCL entry points (a stray or fake
/// <c>libOpenCL.so.1</c>) is refused and freed, and every attempt is recorded for the message.
/// The <see cref="CL"/> object is never disposed: calling it after Dispose crashes, and the
/// SafeHandles' finalizers release OpenCL objects through it when the process exits.
/// </summary>
internal static class OpenClLibrary
{
    public const string LibraryPathKey = "LibraryPath";
    public const string LibraryPathSetting = "Compute:OpenCl:LibraryPath";
    public const string LibraryEnvironmentVariable = "CNN_OPENCL_LIBRARY";

    /// <summary>What a library must export to be taken for OpenCL (1.2 calls the provider makes).</summary>
    public static readonly string[] RequiredExports =
        ["clGetPlatformIDs", "clGetDeviceIDs", "clCreateContext", "clCreateCommandQueue", "clBuildProgram", "clEnqueueNDRangeKernel"];

    private static readonly Lock Gate = new();
    private static CL? s_api;
    private static OpenClLibraryInfo? s_info;
    private static List<LoadAttempt> s_attempts = [];

    /// <summary>The API object; only valid after <see cref="Load"/> succeeded (every OpenCL object is created after that).</summary>
    public static CL Api => s_api!;

    /// <summary>The library in use, or null before the first successful <see cref="Load"/>.</summary>
    public static OpenClLibraryInfo? Loaded => Volatile.Read(ref s_info);

    /// <summary>The attempts of the last search, one per candidate, for messages and tests.</summary>
    public static string DescribeAttempts()
    {
        lock (Gate) return s_attempts.Count == 0 ? "(no load attempted yet)" : string.Join("; ", s_attempts);
    }

    /// <summary>OpenCL's file names on this OS, most specific first.</summary>
    public static IReadOnlyList<string> SystemNames()
    {
        if (OperatingSystem.IsWindows()) return ["OpenCL.dll"];
        if (OperatingSystem.IsMacOS()) return [];
        return ["libOpenCL.so.1", "libOpenCL.so"];
    }

    private static IReadOnlyList<string> WellKnownFiles() =>
        OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/OpenCL.framework/OpenCL"] : [];

    /// <summary>The explicit setting: <paramref name="configured"/>, else the environment variable, else null.</summary>
    public static LibrarySetting? SettingFrom(string? configured, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return new LibrarySetting(configured.Trim(), LibraryPathSetting);
        string? fromEnvironment = environment(LibraryEnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : new LibrarySetting(fromEnvironment.Trim(), LibraryEnvironmentVariable);
    }

    /// <summary>
    /// Loads (or returns the already loaded) OpenCL library and creates the API object.
    /// Throws <see cref="ProviderUnavailableException"/> listing every attempt.
    /// </summary>
    public static OpenClLibraryInfo Load(LibrarySetting? setting, string baseDirectory)
    {
        var candidates = setting is null
            ? LibrarySearch.Discover(baseDirectory, SystemNames(), WellKnownFiles())
            : LibrarySearch.FromSetting(setting, SystemNames());
        var attempts = new List<LoadAttempt>();
        lock (Gate)
        {
            if (s_info is not null && setting is null) return s_info;
            foreach (var candidate in candidates)
            {
                if (!TryAccept(candidate, attempts, out nint handle, out var info)) continue;
                if (s_info is not null)
                {
                    // One process binds one OpenCL library: Silk's API object and every live handle use it.
                    if (LibrarySearch.SameFile(info.File, s_info.File)) return s_info;
                    attempts[^1] = new LoadAttempt(candidate.Target, candidate.Origin,
                        $"an OpenCL library ('{info.File}'), but this process already uses '{s_info.File}'; restart to switch");
                    continue;
                }
                try
                {
                    s_api = new CL(new LibraryContext(handle, info.File));
                }
                catch (FileNotFoundException e)
                {
                    // Silk's own loader reports a missing library this way; ours should never reach it.
                    attempts[^1] = new LoadAttempt(candidate.Target, candidate.Origin, e.Message);
                    continue;
                }
                Volatile.Write(ref s_info, info);
                s_attempts = attempts;
                return info;
            }
            s_attempts = attempts;
        }
        throw NothingLoaded(setting, attempts);
    }

    private static bool TryAccept(LoadCandidate candidate, List<LoadAttempt> attempts, out nint handle, [NotNullWhen(true)] out OpenClLibraryInfo? info)
    {
        info = null;
        handle = LibrarySearch.TryLoad(candidate, attempts);
        if (handle == 0) return false;
        var missing = LibrarySearch.MissingExports(handle, RequiredExports);
        if (missing.Count > 0)
        {
            NativeLibrary.Free(handle);
            handle = 0;
            attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin,
                "loaded, but it is not an OpenCL library (missing " + string.Join(", ", missing) + ")"));
            return false;
        }
        string file = LoadedFile.Describe(NativeLibrary.GetExport(handle, "clGetPlatformIDs"), candidate.Target);
        info = new OpenClLibraryInfo(file, candidate.Origin);
        attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin, $"loaded ({file})"));
        return true;
    }

    private static ProviderUnavailableException NothingLoaded(LibrarySetting? setting, List<LoadAttempt> attempts)
    {
        var reason = new StringBuilder(setting is null
            ? "no usable OpenCL library was found."
            : $"the OpenCL library set by {setting.Source} ('{setting.Value}') could not be used.");
        // One line, attempts separated by semicolons: a user without --verbose sees every one.
        reason.Append(" Tried: ").Append(string.Join("; ", attempts)).Append('.');
        string fix = setting is null
            ? DeviceSelector.InstallHint + $" Or set {LibraryPathSetting} (or {LibraryEnvironmentVariable}) to the library file. See native/README.md."
            : $"Fix or remove {setting.Source}; without it the app's runtimes/<rid>/native folder and the system library are tried. " + DeviceSelector.InstallHint;
        return new ProviderUnavailableException(OpenClProviderFactory.ProviderName, reason.ToString(), fix);
    }
}
