using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using CnnNative.Core;
using CnnNative.Core.Native;

namespace CnnNative.Providers.OpenBlas.Interop;

/// <summary>What the accepted library says about itself.</summary>
/// <param name="File">The file actually mapped (symlinks resolved on Linux).</param>
/// <param name="Origin">Which rule found it (setting, runtimes folder, system search).</param>
/// <param name="Config">openblas_get_config(), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".</param>
internal sealed record OpenBlasLibraryInfo(string File, string Origin, string Config);

/// <summary>
/// The process-wide load state behind <see cref="OpenBlasNative"/>. One resolver is registered
/// for this assembly, once (static constructor), and never throws: it returns the handle the
/// factory accepted. The factory calls <see cref="Load"/> before any stub runs, which is how a
/// configured path reaches a resolver that cannot take parameters. Each candidate is loaded,
/// checked for the OpenBLAS exports and for an LP64 build (through function pointers, so the
/// stubs are never bound to a library we refuse), and every failure is recorded for the report.
/// A process binds one OpenBLAS: the stubs cache the first handle they resolve.
/// </summary>
internal static class OpenBlasLibrary
{
    private static readonly Lock Gate = new();
    private static nint s_handle;
    private static OpenBlasLibraryInfo? s_info;

    static OpenBlasLibrary() =>
        NativeLibrary.SetDllImportResolver(typeof(OpenBlasLibrary).Assembly, Resolve);

    /// <summary>
    /// Loads (or returns the already loaded) OpenBLAS. With a <paramref name="setting"/>, only
    /// that is tried: the user asked for a particular file, and quietly using another would hide
    /// the mistake. Without, the runtimes folder and then the system names are tried in order.
    /// Throws <see cref="ProviderUnavailableException"/> listing every attempt.
    /// </summary>
    public static OpenBlasLibraryInfo Load(LibrarySetting? setting, string baseDirectory)
    {
        var candidates = setting is null
            ? LibraryCandidates.Discover(baseDirectory)
            : LibraryCandidates.FromSetting(setting.Value, setting.Source);
        var attempts = new List<LoadAttempt>();
        lock (Gate)
        {
            if (s_info is not null) return AlreadyLoaded(s_info, setting, candidates);
            foreach (var candidate in candidates)
            {
                if (TryAccept(candidate, attempts, out nint handle, out var info))
                {
                    s_info = info;
                    Volatile.Write(ref s_handle, handle);
                    return info;
                }
            }
        }
        throw LoadFailure.NothingLoaded(setting, attempts);
    }

    // A second Load in the same process, with a setting: the stubs are bound already, so only
    // the same file can be used. Each candidate is still inspected, so a missing file, a
    // library that is not OpenBLAS or an ILP64 build is reported as what it is.
    private static OpenBlasLibraryInfo AlreadyLoaded(OpenBlasLibraryInfo loaded, LibrarySetting? setting, List<LoadCandidate> candidates)
    {
        if (setting is null) return loaded;
        var attempts = new List<LoadAttempt>();
        foreach (var candidate in candidates)
        {
            if (!TryAccept(candidate, attempts, out _, out var info)) continue;
            if (LibrarySearch.SameFile(info.File, loaded.File)) return loaded;
            attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin,
                $"a usable OpenBLAS ('{info.File}'), but this process already uses '{loaded.File}' and one process binds one OpenBLAS; restart to switch"));
        }
        throw LoadFailure.NothingLoaded(setting, attempts);
    }

    private static unsafe bool TryAccept(LoadCandidate candidate, List<LoadAttempt> attempts, out nint handle, [NotNullWhen(true)] out OpenBlasLibraryInfo? info)
    {
        handle = 0;
        info = null;
        nint h = LibrarySearch.TryLoad(candidate, attempts);
        if (h == 0) return false;

        var missing = LibrarySearch.MissingExports(h, OpenBlasNative.RequiredExports);
        if (missing.Count > 0)
        {
            NativeLibrary.Free(h);
            attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin,
                "loaded, but it is not OpenBLAS (missing " + string.Join(", ", missing) + ")"));
            return false;
        }

        var getConfig = (delegate* unmanaged[Cdecl]<byte*>)NativeLibrary.GetExport(h, nameof(OpenBlasNative.openblas_get_config));
        string config = OpenBlasNative.Text(getConfig());
        string file = LoadedFile.Describe(NativeLibrary.GetExport(h, nameof(OpenBlasNative.cblas_sgemm)), candidate.Target);
        if (OpenBlasBuild.IsIlp64(config))
        {
            // Not freed: it has started its thread pool, and unloading a running OpenBLAS is
            // riskier than leaving one refused library mapped for the life of the process.
            attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin, OpenBlasBuild.Ilp64Refusal(file, config)));
            return false;
        }
        handle = h;
        info = new OpenBlasLibraryInfo(file, candidate.Origin, config);
        return true;
    }

    // Never throws: the runtime calls this on the first use of each stub. Before the factory
    // ran (a benchmark's raw baseline, say) it performs the default discovery itself.
    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, OpenBlasNative.LibraryName, StringComparison.Ordinal)) return 0;
        nint handle = Volatile.Read(ref s_handle);
        if (handle != 0) return handle;
        try
        {
            Load(null, AppContext.BaseDirectory);
            return Volatile.Read(ref s_handle);
        }
        catch (Exception)
        {
            return 0; // the runtime then raises DllNotFoundException; the factory path gives the full report
        }
    }

    /// <summary>Makes sure the resolver is registered (runs the static constructor) without loading anything.</summary>
    public static void EnsureResolver() { }
}
