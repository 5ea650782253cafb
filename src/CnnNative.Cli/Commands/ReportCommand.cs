using System.CommandLine;
using CnnNative.Cli.Report;
using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn report RUN_DIR`: (re)makes a training run's report.html from the run folder — curves
/// from metrics.csv and steps.csv, settings from run.json, and the checkpoint's model run over
/// the test set on the configured provider for the confusion matrix, the misclassified
/// images, the first-layer filters and the feature maps. The page replaces the old one atomically.
/// `cnn report RUN_A RUN_B …` (or a folder of runs) instead writes one compare page
/// (<see cref="ComparePage"/>) beside the runs and links each run's report to it.
/// </summary>
internal sealed class ReportCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Rebuild a run's report.html", "cnn report runs/simple-conv-20261205-093000"),
        new("Write the page somewhere else", "cnn report runs/simple-conv-20261205-093000 -o simple-conv.html"),
        new("Compare every run in runs/ on one page", "cnn report runs"),
    ];

    public Command Build(CliContext context)
    {
        var folders = new Argument<string[]>("RUN_DIR")
        {
            Description = "A training run folder (the one `cnn train` printed after 'output:'); several, or a folder of runs such as runs/, make a compare page.",
            Arity = ArgumentArity.OneOrMore,
        };
        var data = new Option<string?>("--data", "-d")
        {
            Description = "MNIST-format folder whose test split (t10k-*) to evaluate (one run only). Default: the one the run trained on (from run.json).",
            HelpName = "DIR",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = $"Where to write the page. Default: RUN_DIR/{RunReport.FileName} for one run, {ComparePage.FileName} in the folder that holds the runs for several.",
            HelpName = "FILE",
        };
        var command = new Command("report",
            $"Make a training run's {RunReport.FileName}: learning curves, confusion matrix, misclassified test images, first-layer filters, feature maps and the run settings, in one self-contained page. Given several runs (or a folder of runs), make one {ComparePage.FileName} that overlays their curves and tabulates their settings and best accuracies, linked from each run's report.")
        {
            folders, data, output,
        };
        command.SetAction(parse => Run(context, parse, parse.GetValue(folders)!, parse.GetValue(data), parse.GetValue(output)));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, string[] paths, string? data, string? output)
    {
        // One path that is not a folder of runs is one run's report (which says what is wrong with a bad one).
        if (paths.Length == 1 && !RunSummary.HoldsRuns(paths[0]))
            return ReportOne(context, parse, paths[0], data, output);
        IReadOnlyList<string> runs = RunSummary.Expand(paths);
        if (data is not null)
            throw new CliException("--data applies to the report of one run (a compare page reads only the runs' records); drop --data, or report one run.", ExitCodes.Usage);
        return Compare(context, runs, output);
    }

    private static int ReportOne(CliContext context, ParseResult parse, string folder, string? data, string? output)
    {
        // The run folder first (a missing folder is the clearer message), then the target, then the work.
        var run = RunFolderReport.Open(folder, data);
        string target = OutputFile.Check(output ?? Path.Combine(folder, RunReport.FileName), [".html", ".htm"], "a page path ending in .html");
        using IComputeProvider provider = context.CreateProvider(parse);
        RunReportInputs inputs = run.Inspect(provider, context.CancellationToken);
        OutputFile.WriteAllText(target, RunReportRenderer.Render(RunReportBuilder.Build(inputs, DateTimeOffset.Now)));
        context.Out.WriteLine($"wrote {target}");
        return ExitCodes.Success;
    }

    private static int Compare(CliContext context, IReadOnlyList<string> runs, string? output)
    {
        string target = OutputFile.Check(output ?? RunComparison.DefaultPath(runs), [".html", ".htm"], "a page path ending in .html");
        RunComparison.Result result = RunComparison.Write(runs, target, DateTimeOffset.Now);
        context.Out.WriteLine($"wrote {result.PagePath} comparing {runs.Count} run{(runs.Count == 1 ? "" : "s")}");
        foreach (string report in result.Linked) context.Out.WriteLine($"linked {report}");
        foreach (string note in result.NotLinked) context.Out.WriteLine($"not linked: {note}");
        return ExitCodes.Success;
    }
}
