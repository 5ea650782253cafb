using System.Reflection;
using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>
/// Finds the OpenCL ICD loader. One <see cref="NativeLibrary.SetDllImportResolver"/> for this
/// assembly, registered once before the first call into <see cref="Cl"/>; it never throws and
/// records each attempt, so "unavailable" can say exactly which names were tried and why
/// each failed. Versioned soname first: an unversioned <c>libOpenCL.so</c> only exists with
/// the -dev package.
/// </summary>
internal static class OpenClLibrary
{
    /// <summary>The library name every <c>[LibraryImport]</c> in <see cref="Cl"/> uses.</summary>
    public const string Name = "OpenCL";

    private static readonly string[] Candidates =
    [
        "libOpenCL.so.1",
        "libOpenCL.so",
        "OpenCL.dll",
        "/System/Library/Frameworks/OpenCL.framework/OpenCL",
    ];

    private static readonly Lock Gate = new();
    private static readonly List<string> Attempts = [];
    private static bool _registered;
    private static bool _resolved;
    private static nint _handle;

    /// <summary>The candidate that loaded, or null before the first call / when none did.</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>Registers the resolver once; later calls do nothing.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(OpenClLibrary).Assembly, Resolve);
            }
            catch (InvalidOperationException e)
            {
                // Someone else registered a resolver for this assembly; theirs decides.
                Attempts.Add($"resolver not registered: {e.Message}");
            }
        }
    }

    /// <summary>What was tried, one line per candidate, for the "unavailable" message.</summary>
    public static string DescribeAttempts()
    {
        lock (Gate)
        {
            return Attempts.Count == 0 ? "(no load attempted yet)" : string.Join("; ", Attempts);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name) return 0;
        lock (Gate)
        {
            if (_resolved) return _handle;
            _resolved = true;
            _handle = LoadFirst(Candidates, assembly, searchPath, Attempts, out string? loadedFrom);
            LoadedFrom = loadedFrom;
            return _handle;
        }
    }

    /// <summary>
    /// Loads the first candidate that loads, appending one line per attempt to
    /// <paramref name="attempts"/>; 0 when none does. Never throws.
    /// </summary>
    internal static nint LoadFirst(IEnumerable<string> candidates, Assembly assembly, DllImportSearchPath? searchPath,
        List<string> attempts, out string? loadedFrom)
    {
        loadedFrom = null;
        foreach (string candidate in candidates)
        {
            try
            {
                if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out nint handle))
                {
                    loadedFrom = candidate;
                    attempts.Add($"{candidate}: loaded");
                    return handle;
                }
                attempts.Add($"{candidate}: not found");
            }
            catch (Exception e) when (e is BadImageFormatException or ArgumentException)
            {
                attempts.Add($"{candidate}: {e.Message}");
            }
        }
        return 0;
    }
}
