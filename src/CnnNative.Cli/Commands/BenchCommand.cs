using System.CommandLine;
using System.Globalization;
using CnnNative.Data;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn bench`: end-to-end training and inference throughput (images/s) of each model on each
/// provider, on the real data pipeline (Fashion-MNIST batches uploaded every step). Prints a
/// table and writes <c>throughput.json</c> and <c>throughput.md</c> with the machine's details
/// to --output. Numbers only mean something on a quiet machine; the report records the load average.
/// </summary>
internal sealed class BenchCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Measure simple-conv and vgg-small on every provider that starts", "cnn bench"),
        new("A quicker measurement of one model on two providers", "cnn bench -m simple-conv --providers managed,openblas --seconds 1 --windows 3"),
    ];

    public Command Build(CliContext context)
    {
        var models = new Option<string?>("--models", "-m")
        {
            Description = $"Models to measure, comma-separated: presets ({string.Join(", ", ModelPresets.Names)}), JSON model files, or 'all' (every preset). Default: {string.Join(",", BenchSettings.DefaultModels)}.",
            HelpName = "LIST",
        };
        var providers = new Option<string?>("--providers")
        {
            Description = "Providers to measure, comma-separated (managed, openblas, opencl, or plugins). Default: every provider that starts on this machine (or the one --provider names).",
            HelpName = "LIST",
        };
        var batchSize = new Option<int>("--batch-size", "-b")
        {
            Description = "Images per step.",
            HelpName = "B",
            DefaultValueFactory = _ => BenchSettings.DefaultBatchSize,
        };
        var windows = new Option<int>("--windows")
        {
            Description = "Timed windows per phase; the median is reported.",
            HelpName = "N",
            DefaultValueFactory = _ => BenchSettings.DefaultWindows,
        };
        var seconds = new Option<double>("--seconds")
        {
            Description = "Length of each timed window in seconds; a window always completes at least one step.",
            HelpName = "S",
            DefaultValueFactory = _ => BenchSettings.DefaultSeconds,
        };
        var warmup = new Option<double?>("--warmup")
        {
            Description = "Untimed seconds before the windows of each phase (default: one window's length; at least two steps run).",
            HelpName = "S",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = $"Folder for {BenchReportWriter.JsonFile} and {BenchReportWriter.MarkdownFile} (replaced atomically).",
            HelpName = "DIR",
            DefaultValueFactory = _ => BenchSettings.DefaultOutput,
        };
        var peakSeconds = new Option<double>("--peak-seconds")
        {
            Description = "Length of each FMA-throughput probe (one core, then all cores) that measures the machine's peak GFLOP/s before the workloads; each workload is reported as a fraction of it.",
            HelpName = "S",
            DefaultValueFactory = _ => BenchSettings.DefaultPeakSeconds,
        };
        var data = CommonOptions.Data();

        var command = new Command("bench",
            "Measure end-to-end training and inference throughput (images/s, median of timed windows after a warm-up) for each model on each provider; print a table and write JSON and Markdown with the machine's details.")
        {
            models, providers, batchSize, windows, seconds, warmup, peakSeconds, output, data,
        };
        command.SetAction(parse =>
        {
            double windowSeconds = parse.GetValue(seconds);
            var settings = new BenchSettings
            {
                Models = BenchSettings.ParseModels(parse.GetValue(models)),
                Providers = BenchSettings.ParseProviders(parse.GetValue(providers))
                            ?? (parse.GetValue(context.GlobalOptions.Provider) is { Length: > 0 } one ? [one.Trim().ToLowerInvariant()] : null),
                BatchSize = parse.GetValue(batchSize),
                Windows = parse.GetValue(windows),
                Seconds = windowSeconds,
                WarmupSeconds = parse.GetValue(warmup) ?? windowSeconds,
                PeakSeconds = parse.GetValue(peakSeconds),
                Output = parse.GetValue(output) ?? BenchSettings.DefaultOutput,
                DataFolder = parse.GetValue(data) ?? DatasetLoader.DefaultFolder,
            };
            string commandLine = "cnn " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));
            return Run(context, parse, settings, commandLine);
        });
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, BenchSettings settings, string commandLine)
    {
        settings.Validate();
        var specs = settings.Models.Select(name => ModelSpec.FromPresetOrFile(name)).ToList();
        var splits = DatasetLoader.Load(settings.DataFolder);
        var output = BenchOutput.For(context);

        var run = new BenchRun(context.GetRegistry(parse), context.GetComputeSection(parse), settings, output, context.CancellationToken);
        var (infos, skipped) = run.StartProviders();
        var machine = BenchMachine.Describe(infos);
        output.Header(machine, settings, splits);
        var peak = FmaProbe.Measure(settings.PeakSeconds);
        output.Peak(peak);

        var results = run.MeasureAll(specs, splits);
        machine = machine with { LoadAverageAtEnd = BenchMachine.LoadAverage() };
        var report = new BenchReport(DateTimeOffset.Now, commandLine, machine, peak, settings, infos, skipped, results);
        output.Table(report);
        var (json, markdown) = BenchReportWriter.Write(report, settings.Output);
        context.Out.WriteLine($"wrote {json} and {markdown}");
        if (machine.LoadAverageAtStart is { } load &&
            double.TryParse(load.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double oneMinute) &&
            oneMinute > machine.LogicalCores)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cnn: warning: the load average ({load}) exceeded the {machine.LogicalCores} cores; other work shared the CPU and the figures are low and noisy."));
        }
        return ExitCodes.Success;
    }
}
