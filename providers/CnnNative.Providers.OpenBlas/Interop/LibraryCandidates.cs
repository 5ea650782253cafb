using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenBlas.Interop;

/// <summary>One thing to hand to the loader: a file path (checked to exist first) or a bare name the system loader searches for.</summary>
/// <param name="Target">The path or name passed to <see cref="NativeLibrary.Load(string)"/>.</param>
/// <param name="Origin">Where the candidate came from, for the error report.</param>
/// <param name="IsPath">A path whose absence we report as "does not exist" instead of asking the loader.</param>
internal sealed record LoadCandidate(string Target, string Origin, bool IsPath);

/// <summary>One failed candidate and why, listed when no library loads.</summary>
internal sealed record LoadAttempt(string Target, string Origin, string Error)
{
    public override string ToString() => $"{Target} ({Origin}): {Error}";
}

/// <summary>
/// The search order after an explicit setting: the app's own <c>runtimes/&lt;rid&gt;/native</c>
/// folder (how a NuGet-style deployment ships the native file), then the names the system
/// loader knows on this OS, versioned soname first so a Debian box without the -dev package works.
/// </summary>
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

    /// <summary>"linux-x64" style identifiers for this process: the runtime's own, then the portable one built from OS and architecture.</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "unix";
        string portable = os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string own = RuntimeInformation.RuntimeIdentifier;
        return string.Equals(own, portable, StringComparison.OrdinalIgnoreCase) ? [portable] : [own, portable];
    }

    /// <summary>Every candidate tried when nothing is configured, in order.</summary>
    public static List<LoadCandidate> Discover(string baseDirectory)
    {
        var names = SystemNames();
        var result = new List<LoadCandidate>();
        foreach (string rid in RuntimeIdentifiers())
        {
            string folder = Path.Combine(baseDirectory, "runtimes", rid, "native");
            foreach (string name in names)
                result.Add(new LoadCandidate(Path.Combine(folder, name), "app runtimes folder", IsPath: true));
        }
        foreach (string name in names)
            result.Add(new LoadCandidate(name, "system loader search", IsPath: false));
        foreach (string file in WellKnownFiles())
            result.Add(new LoadCandidate(file, "package manager location", IsPath: true));
        return result;
    }

    /// <summary>
    /// The candidates for an explicit setting: a file, a folder holding one of the system names,
    /// or a bare file name for the system loader (e.g. a differently named build).
    /// </summary>
    public static List<LoadCandidate> FromSetting(string value, string source)
    {
        bool looksLikePath = Path.IsPathRooted(value) || value.Contains('/') || value.Contains(Path.DirectorySeparatorChar);
        if (!looksLikePath) return [new LoadCandidate(value, source, IsPath: false)];
        string full = Path.GetFullPath(value);
        if (!Directory.Exists(full)) return [new LoadCandidate(full, source, IsPath: true)];
        var result = new List<LoadCandidate>();
        foreach (string name in SystemNames())
            result.Add(new LoadCandidate(Path.Combine(full, name), source + " (folder)", IsPath: true));
        return result;
    }
}
