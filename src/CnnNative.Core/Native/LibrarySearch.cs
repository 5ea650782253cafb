using System.Runtime.InteropServices;

namespace CnnNative.Core.Native;

/// <summary>An explicit library setting (a file, a folder or a bare library name) and the name of the setting it came from.</summary>
/// <param name="Value">What the user wrote.</param>
/// <param name="Source">The setting's name for messages, e.g. <c>Compute:OpenBlas:LibraryPath</c>.</param>
internal sealed record LibrarySetting(string Value, string Source);

/// <summary>One thing to hand to the loader: a file path (checked to exist first) or a bare name the system loader searches for.</summary>
/// <param name="Target">The path or name passed to <see cref="NativeLibrary.Load(string)"/>.</param>
/// <param name="Origin">Where the candidate came from, for the error report.</param>
/// <param name="IsPath">A path whose absence we report as "does not exist" instead of asking the loader.</param>
internal sealed record LoadCandidate(string Target, string Origin, bool IsPath);

/// <summary>One tried candidate and what happened, listed when no library loads.</summary>
internal sealed record LoadAttempt(string Target, string Origin, string Outcome)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Target} ({Origin}): {Outcome}";
}

/// <summary>
/// The search order a provider that loads a native library follows after an explicit setting:
/// the app's own <c>runtimes/&lt;rid&gt;/native</c> folder (how a NuGet-style deployment ships
/// the native file), then the names the system loader knows on this OS (versioned soname first,
/// so a Debian box without the -dev package works), then places a package manager uses outside
/// the loader's search.
/// </summary>
internal static class LibrarySearch
{
    /// <summary>"linux-x64" style identifiers for this process: the runtime's own, then the portable one built from OS and architecture.</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "unix";
        string portable = os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string own = RuntimeInformation.RuntimeIdentifier;
        return string.Equals(own, portable, StringComparison.OrdinalIgnoreCase) ? [portable] : [own, portable];
    }

    /// <summary>Every candidate tried when nothing is configured, in order.</summary>
    /// <param name="baseDirectory">The app's folder (<see cref="AppContext.BaseDirectory"/>).</param>
    /// <param name="systemNames">The library's file names on this OS, most specific first.</param>
    /// <param name="wellKnownFiles">Absolute paths outside the loader's search, tried last.</param>
    public static List<LoadCandidate> Discover(string baseDirectory, IReadOnlyList<string> systemNames, IReadOnlyList<string> wellKnownFiles)
    {
        var result = new List<LoadCandidate>();
        foreach (string rid in RuntimeIdentifiers())
        {
            string folder = Path.Combine(baseDirectory, "runtimes", rid, "native");
            foreach (string name in systemNames)
                result.Add(new LoadCandidate(Path.Combine(folder, name), "app runtimes folder", IsPath: true));
        }
        foreach (string name in systemNames)
            result.Add(new LoadCandidate(name, "system loader search", IsPath: false));
        foreach (string file in wellKnownFiles)
            result.Add(new LoadCandidate(file, "package manager location", IsPath: true));
        return result;
    }

    /// <summary>
    /// The candidates for an explicit setting: a file, a folder holding one of
    /// <paramref name="systemNames"/>, or a bare file name for the system loader (e.g. a
    /// differently named build). Only these are tried: silently using another library would
    /// hide the mistake.
    /// </summary>
    public static List<LoadCandidate> FromSetting(LibrarySetting setting, IReadOnlyList<string> systemNames)
    {
        ArgumentNullException.ThrowIfNull(setting);
        string value = setting.Value;
        bool looksLikePath = Path.IsPathRooted(value) || value.Contains('/') || value.Contains(Path.DirectorySeparatorChar);
        if (!looksLikePath) return [new LoadCandidate(value, setting.Source, IsPath: false)];
        string full = Path.GetFullPath(value);
        if (!Directory.Exists(full)) return [new LoadCandidate(full, setting.Source, IsPath: true)];
        var result = new List<LoadCandidate>();
        foreach (string name in systemNames)
            result.Add(new LoadCandidate(Path.Combine(full, name), setting.Source + " (folder)", IsPath: true));
        return result;
    }

    /// <summary>
    /// Loads <paramref name="candidate"/> if it exists and loads; otherwise records why not in
    /// <paramref name="attempts"/> and returns 0. Never throws.
    /// </summary>
    public static nint TryLoad(LoadCandidate candidate, List<LoadAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(attempts);
        if (candidate.IsPath && !File.Exists(candidate.Target))
        {
            attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin, "file does not exist"));
            return 0;
        }
        try
        {
            return NativeLibrary.Load(candidate.Target);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or ArgumentException)
        {
            attempts.Add(new LoadAttempt(candidate.Target, candidate.Origin, e.Message.ReplaceLineEndings(" ").Trim()));
            return 0;
        }
    }

    /// <summary>The exports of <paramref name="required"/> that the library <paramref name="handle"/> lacks (empty: it has them all).</summary>
    public static List<string> MissingExports(nint handle, IEnumerable<string> required)
    {
        var missing = new List<string>();
        foreach (string export in required)
            if (!NativeLibrary.TryGetExport(handle, export, out _)) missing.Add(export);
        return missing;
    }

    /// <summary>Whether two paths name the same file once symlinks are resolved.</summary>
    public static bool SameFile(string a, string b)
    {
        static string Real(string p) => new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(p);
        try { return string.Equals(Real(a), Real(b), StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }
}
