using System.CommandLine;
using CnnNative.Cli.Report;
using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn report RUN_DIR`: (re)makes a training run's report.html from the run folder — curves
/// from metrics.csv and steps.csv, settings from run.json, and the checkpoint's model run over
/// the test set on the configured provider for the confusion matrix, the misclassified
/// images, the first-layer filters and the feature maps. The page replaces the old one atomically.
/// </summary>
public sealed class ReportCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Rebuild a run's report.html", "cnn report runs/simple-conv-20261205-093000"),
        new("Write the page somewhere else", "cnn report runs/simple-conv-20261205-093000 -o simple-conv.html"),
    ];

    public Command Build(CliContext context)
    {
        var folder = new Argument<string>("RUN_DIR")
        {
            Description = "A training run folder (the one `cnn train` printed after 'output:').",
        };
        var data = new Option<string?>("--data", "-d")
        {
            Description = "MNIST-format folder whose test split (t10k-*) to evaluate. Default: the one the run trained on (from run.json).",
            HelpName = "DIR",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = $"Where to write the page (default RUN_DIR/{RunReport.FileName}).",
            HelpName = "FILE",
        };
        var command = new Command("report",
            $"Make a training run's {RunReport.FileName}: learning curves, confusion matrix, misclassified test images, first-layer filters, feature maps and the run settings, in one self-contained page.")
        {
            folder, data, output,
        };
        command.SetAction(parse => Run(context, parse, parse.GetValue(folder)!, parse.GetValue(data), parse.GetValue(output)));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, string folder, string? data, string? output)
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
}
