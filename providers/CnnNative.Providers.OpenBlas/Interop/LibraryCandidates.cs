using CnnNative.Core.Native;

namespace CnnNative.Providers.OpenBlas.Interop;

/// <summary>OpenBLAS's file names per OS, fed to the shared <see cref="LibrarySearch"/> order.</summary>
internal static class LibraryCandidates
{
    /// <summary>File names of the LP64 OpenBLAS on the current OS, most specific first.</summary>
    public static IReadOnlyList<string> SystemNames()
    {
        if (OperatingSystem.IsWindows()) return ["libopenblas.dll", "openblas.dll"];
        if (OperatingSystem.IsMacOS()) return ["libopenblas.0.dylib", "libopenblas.dylib"];
        return ["libopenblas.so.0", "libopenblas.so"];
    }

    /// <summary>Places a package manager puts OpenBLAS outside the loader's default search (Homebrew on macOS).</summary>
    public static IReadOnlyList<string> WellKnownFiles()
    {
        if (!OperatingSystem.IsMacOS()) return [];
        return ["/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib"];
    }

    public static IReadOnlyList<string> RuntimeIdentifiers() => LibrarySearch.RuntimeIdentifiers();

    /// <summary>Every candidate tried when nothing is configured, in order.</summary>
    public static List<LoadCandidate> Discover(string baseDirectory) => LibrarySearch.Discover(baseDirectory, SystemNames(), WellKnownFiles());

    /// <summary>The candidates for an explicit setting: a file, a folder holding one of the system names, or a bare file name.</summary>
    public static List<LoadCandidate> FromSetting(string value, string source) => LibrarySearch.FromSetting(new LibrarySetting(value, source), SystemNames());
}
