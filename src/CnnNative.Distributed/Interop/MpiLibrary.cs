using System.Reflection;
using System.Runtime.InteropServices;

namespace CnnNative.Distributed.Interop;

/// <summary>One library file or name tried, and why it was not used.</summary>
internal sealed record MpiLoadAttempt(string Target, string Error)
{
    public override string ToString() => $"{Target}: {Error}";
}

/// <summary>
/// Finds Open MPI's <c>libmpi</c> once per process. One resolver is registered for this assembly
/// (static constructor); it never throws and hands the <see cref="MpiNative"/> stubs the handle
/// <see cref="Load"/> accepted. A candidate is accepted only if it exports Open MPI's predefined
/// handle globals, so MPICH or MS-MPI (integer handles) are reported as what they are instead of
/// crashing in the first call. Every attempt is recorded for the error message.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>Environment variable naming a specific libmpi file (like CNN_OPENBLAS_LIBRARY for OpenBLAS).</summary>
    public const string LibraryVariable = "CNN_MPI_LIBRARY";

    private static readonly Lock Gate = new();
    private static nint s_handle;
    private static MpiHandles? s_handles;
    private static string? s_loadedFrom;

    static MpiLibrary() => NativeLibrary.SetDllImportResolver(typeof(MpiLibrary).Assembly, Resolve);

    /// <summary>The file or soname that was accepted, after a successful <see cref="Load"/>.</summary>
    public static string? LoadedFrom => s_loadedFrom;

    /// <summary>Loads libmpi (or returns the one already loaded) and its predefined handles.</summary>
    /// <exception cref="MpiUnavailableException">No candidate could be used; the message lists each attempt.</exception>
    public static MpiHandles Load()
    {
        lock (Gate)
        {
            if (s_handles is not null) return s_handles;
            string? setting = Environment.GetEnvironmentVariable(LibraryVariable);
            var attempts = new List<MpiLoadAttempt>();
            foreach (string candidate in Candidates(setting))
            {
                if (!TryAccept(candidate, attempts, out nint handle, out var handles)) continue;
                s_handles = handles;
                s_loadedFrom = candidate;
                Volatile.Write(ref s_handle, handle);
                return handles;
            }
            throw MpiUnavailableException.NothingLoaded(setting, attempts);
        }
    }

    /// <summary>An explicit setting alone (a mistake there must not be hidden), else the versioned soname first.</summary>
    internal static IReadOnlyList<string> Candidates(string? setting)
    {
        if (!string.IsNullOrWhiteSpace(setting)) return [setting];
        if (OperatingSystem.IsMacOS()) return ["libmpi.40.dylib", "libmpi.dylib"];
        if (OperatingSystem.IsWindows()) return [];
        return ["libmpi.so.40", "libmpi.so"];
    }

    private static bool TryAccept(string candidate, List<MpiLoadAttempt> attempts, out nint handle, out MpiHandles handles)
    {
        handles = null!;
        bool isPath = candidate.Contains('/') || candidate.Contains(Path.DirectorySeparatorChar);
        if (isPath && !File.Exists(candidate))
        {
            attempts.Add(new MpiLoadAttempt(candidate, "does not exist"));
            handle = 0;
            return false;
        }
        if (!NativeLibrary.TryLoad(candidate, out handle))
        {
            attempts.Add(new MpiLoadAttempt(candidate, "not found by the system loader"));
            return false;
        }
        var exports = new List<nint>(MpiHandles.Symbols.Length);
        foreach (string symbol in MpiHandles.Symbols.Append("MPI_Allreduce"))
        {
            if (NativeLibrary.TryGetExport(handle, symbol, out nint address))
            {
                exports.Add(address);
                continue;
            }
            attempts.Add(new MpiLoadAttempt(candidate,
                $"loaded, but it does not export '{symbol}': not Open MPI (MPICH and MS-MPI use integer handles, which this binding does not speak)"));
            NativeLibrary.Free(handle);
            handle = 0;
            return false;
        }
        handles = MpiHandles.FromExports(exports);
        return true;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == "mpi" ? Volatile.Read(ref s_handle) : 0;
}
