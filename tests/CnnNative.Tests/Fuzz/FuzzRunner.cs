using System.Text.RegularExpressions;
using CnnNative.Cli;
using CnnNative.Tests.Cli;

namespace CnnNative.Tests.Fuzz;

/// <summary>What one case did, and what (if anything) it did wrong.</summary>
internal sealed record FuzzOutcome(FuzzCase Case, int Exit, string Error, bool Hung, long ManagedBytes, long PeakRssGrowth, IReadOnlyList<string> LeftBehind, string? Violation)
{
    public bool Accepted => !Hung && Exit == ExitCodes.Success;
}

/// <summary>
/// Runs a case through the `cnn` app in-process and checks it: an exit code of 0 only where
/// acceptance is documented, otherwise 1 or 2 with a last line "cnn: …"; no .NET type names or
/// stack frames in what the user reads; no temporary file anywhere and, after a failure, no new
/// file at all; no hang; managed allocation and peak resident memory under fixed bounds. The
/// working directory is the case folder while it runs, so relative paths stay inside it.
/// </summary>
internal static partial class FuzzRunner
{
    /// <summary>Managed bytes one case may allocate (the valid inputs need a few MB).</summary>
    public const long ManagedBound = 256L << 20;

    /// <summary>Growth of the process's peak resident set one case may cause (native tensors included).</summary>
    public const long RssBound = 512L << 20;

    /// <summary>A case that has not finished by then counts as a hang (generous: the test machine is shared).</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);

    public static FuzzOutcome Run(FuzzCase fuzzCase, int index, FuzzFixture fixture, Func<CliHarness> newCli)
    {
        string folder = Path.Combine(fixture.Root.Path, $"{fuzzCase.Kind}-{index:D3}");
        Directory.CreateDirectory(folder);
        using CliHarness cli = newCli();
        string[] args = fuzzCase.Prepare(new FuzzContext(folder, cli, fixture));
        var before = Listing(folder);

        string workingDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        PeakRss.Reset();
        long rssBefore = PeakRss.Current();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        CliResult? result = null;
        bool hung;
        try
        {
            var run = Task.Run(() => cli.Run(args));
            hung = !run.Wait(HangAfter);
            if (!hung) result = run.Result;
        }
        finally
        {
            Environment.CurrentDirectory = workingDirectory;
        }
        long managed = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long rss = PeakRss.Peak() - rssBefore;

        var after = Listing(folder);
        var left = new List<string>();
        foreach (string path in after)
            if (path.EndsWith(".tmp", StringComparison.Ordinal) || (result is { Exit: not ExitCodes.Success } && !before.Contains(path)))
                left.Add(path);

        string? violation = Judge(fuzzCase, result, hung, managed, rss, left);
        return new FuzzOutcome(fuzzCase, result?.Exit ?? -1, result?.Err ?? "", hung, managed, rss, left, violation);
    }

    private static string? Judge(FuzzCase fuzzCase, CliResult? result, bool hung, long managed, long rss, List<string> left)
    {
        if (hung || result is null) return $"no answer within {HangAfter.TotalSeconds} s";
        if (result.Exit == ExitCodes.Success && !fuzzCase.MayBeAccepted) return "accepted without a word";
        if (result.Exit is not (ExitCodes.Success or ExitCodes.Failure or ExitCodes.Usage)) return $"exit code {result.Exit}";
        if (result.Exit != ExitCodes.Success)
        {
            string[] lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0 || !lines[^1].StartsWith("cnn: ", StringComparison.Ordinal)) return $"no one-line error: '{result.Err}'";
        }
        if (DotNetInternals().Match(result.Err) is { Success: true } m) return $"shows .NET internals ('{m.Value}'): {result.Err.Trim()}";
        if (left.Count > 0) return $"left {string.Join(", ", left.Select(Path.GetFileName))} behind";
        if (managed > ManagedBound) return $"allocated {managed >> 20} MB on the managed heap";
        if (rss > RssBound) return $"grew the peak resident set by {rss >> 20} MB";
        return null;
    }

    /// <summary>Type names, generic arity, parameter suffixes and stack frames: what a user should never read.</summary>
    [GeneratedRegex(@"\b(System|Microsoft)\.[A-Z]\w+|\w+Exception\b|`\d|\(Parameter '|Bad IL format|^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex DotNetInternals();

    private static HashSet<string> Listing(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)];
}

/// <summary>
/// The process's peak resident set (VmHWM), reset before each case through /proc/self/clear_refs
/// (Linux). Elsewhere both read 0 and only the managed bound applies.
/// </summary>
internal static class PeakRss
{
    public static void Reset()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the reset the peak only overstates the growth: the bound stays safe.
        }
    }

    public static long Current() => Read("VmRSS:");

    public static long Peak() => Read("VmHWM:");

    private static long Read(string key)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
