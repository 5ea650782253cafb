using System.Text.RegularExpressions;
using CnnNative.Core;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Writes the compare page of several runs (<see cref="ComparePage"/>) and links each run's own
/// report.html to it. The page goes, by default, into the folder that holds the runs
/// (<c>runs/compare.html</c>); a report written later — by <c>cnn train</c> after each epoch or
/// by <c>cnn report RUN_DIR</c> — finds it there (<see cref="LinkFrom"/>). A report already on
/// disk gets the link without being rendered again: the page marks where it goes
/// (<see cref="RunReportRenderer.CompareLinkMarker"/>). Every file is replaced atomically.
/// </summary>
internal static partial class RunComparison
{
    /// <summary>What <see cref="Write"/> did: the page, and the run reports it linked or left alone (with why).</summary>
    public sealed record Result(string PagePath, IReadOnlyList<string> Linked, IReadOnlyList<string> NotLinked);

    /// <summary>
    /// Where the compare page of <paramref name="runFolders"/> goes by default: compare.html in
    /// the folder that holds them all; a <see cref="CliException"/> when they are in different folders.
    /// </summary>
    public static string DefaultPath(IReadOnlyList<string> runFolders)
    {
        ArgumentNullException.ThrowIfNull(runFolders);
        var parents = runFolders.Select(f => Path.GetDirectoryName(Path.GetFullPath(f).TrimEnd('/', '\\'))!).Distinct(StringComparer.Ordinal).ToList();
        if (parents.Count != 1)
            throw new CliException($"The runs are in different folders ({string.Join(", ", parents)}); say where the compare page goes with --output FILE.html.", ExitCodes.Usage);
        return Path.Combine(parents[0], ComparePage.FileName);
    }

    /// <summary>The link from the report in <paramref name="runFolder"/> to the compare page beside the run, or null when there is none.</summary>
    public static string? LinkFrom(string runFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(runFolder);
        string? parent = Path.GetDirectoryName(Path.GetFullPath(runFolder).TrimEnd('/', '\\'));
        return parent is not null && File.Exists(Path.Combine(parent, ComparePage.FileName)) ? "../" + ComparePage.FileName : null;
    }

    /// <summary>
    /// Reads every run in <paramref name="runFolders"/>, writes their compare page to
    /// <paramref name="pagePath"/> (checked with <see cref="OutputFile.Check"/> by the caller) and
    /// adds a link to it to each finished run's report.html. A run still training is not touched:
    /// its next report finds the page by itself.
    /// </summary>
    public static Result Write(IReadOnlyList<string> runFolders, string pagePath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(runFolders);
        ArgumentException.ThrowIfNullOrEmpty(pagePath);
        var runs = runFolders.Select(RunSummary.Read).ToList();
        string pageFolder = Path.GetDirectoryName(Path.GetFullPath(pagePath))!;
        string html = ComparePage.Render(runs, run => File.Exists(ReportPath(run))
            ? Relative(pageFolder, ReportPath(run))
            : null, now);
        OutputFile.WriteAllText(pagePath, html);

        var linked = new List<string>();
        var notLinked = new List<string>();
        foreach (RunSummary run in runs)
        {
            string report = ReportPath(run);
            if (!File.Exists(report))
                notLinked.Add($"{run.Folder}: no {RunReport.FileName} yet (cnn report {run.Folder} makes one, with the link)");
            else if (run.Info?.Status == RunInfo.Running)
                notLinked.Add($"{report}: the run is still training; its next report links the page");
            else if (AddLink(report, Relative(run.Folder, pagePath)))
                linked.Add(report);
            else
                notLinked.Add($"{report}: written by an older version without a place for the link; cnn report {run.Folder} renews it");
        }
        return new Result(Path.GetFullPath(pagePath), linked, notLinked);
    }

    /// <summary>
    /// Puts a link to <paramref name="href"/> into the report at <paramref name="reportPath"/>, in
    /// place of the marker or of an earlier compare link; false when the page has neither.
    /// </summary>
    internal static bool AddLink(string reportPath, string href)
    {
        string html = File.ReadAllText(reportPath);
        string anchor = RunReportRenderer.CompareAnchor(href);
        int marker = html.IndexOf(RunReportRenderer.CompareLinkMarker, StringComparison.Ordinal);
        string updated;
        if (marker >= 0)
            updated = string.Concat(html.AsSpan(0, marker), anchor, html.AsSpan(marker + RunReportRenderer.CompareLinkMarker.Length));
        else if (EarlierLink().IsMatch(html))
            updated = EarlierLink().Replace(html, anchor, 1);
        else
            return false;
        if (updated != html) OutputFile.WriteAllText(reportPath, updated);
        return true;
    }

    private static string ReportPath(RunSummary run) => Path.Combine(run.Folder, RunReport.FileName);

    /// <summary>A relative URL from <paramref name="fromFolder"/> to <paramref name="path"/>: forward slashes, each name escaped (a '#' in a folder name stays a name).</summary>
    private static string Relative(string fromFolder, string path) =>
        string.Join('/', Path.GetRelativePath(fromFolder, Path.GetFullPath(path)).Split('/', '\\').Select(Uri.EscapeDataString));

    [GeneratedRegex("<a class=\"compare\" href=\"[^\"]*\">Compare runs</a>")]
    private static partial Regex EarlierLink();
}
