using System.Globalization;
using CnnNative.Data;
using Spectre.Console;

namespace CnnNative.Cli.Commands;

/// <summary>
/// What `cnn bench` prints: the machine and plan up front, one progress line per timed window
/// (so a long run shows it is alive and how steady the figures are), and the results table —
/// a Spectre table on a terminal, aligned plain text otherwise.
/// </summary>
internal sealed class BenchOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly TextWriter _out;
    private readonly IAnsiConsole? _console;

    private BenchOutput(TextWriter output, IAnsiConsole? console)
    {
        _out = output;
        _console = console;
    }

    public static BenchOutput For(CliContext context) => new(context.Out, context.Interactive ? context.Console : null);

    /// <summary>Plain output to <paramref name="output"/> (tests, pipes).</summary>
    public static BenchOutput Plain(TextWriter output) => new(output, null);

    public void Header(BenchMachine machine, BenchSettings s, DataSplits splits)
    {
        _out.WriteLine($"machine: {machine}");
        _out.WriteLine(string.Create(Inv,
            $"plan: batch {s.BatchSize}, warm-up {s.WarmupSeconds:0.##} s, then {s.Windows} windows of {s.Seconds:0.##} s per phase (median reported); data {splits.Folder}"));
    }

    public void Peak(BenchPeak peak) =>
        _out.WriteLine(string.Create(Inv,
            $"measured FMA peak ({peak.Vector}, {peak.SecondsPerProbe:0.##} s per probe): {peak.OneCore:N1} GFLOP/s on one core, {peak.AllCores:N1} on {peak.Cores} cores, {peak.PerCpuSecond:N1} GFLOP per CPU-second"));

    public void Skipped(string provider, string reason) => _out.WriteLine($"skipping {provider}: {reason}");

    public void Window(string model, string provider, string phase, int window, int windows, double imagesPerSecond) =>
        _out.WriteLine(window == 0
            ? string.Create(Inv, $"{model} on {provider}: {phase} warm-up done ({imagesPerSecond:N0} images/s)")
            : string.Create(Inv, $"{model} on {provider}: {phase} window {window}/{windows}: {imagesPerSecond:N0} images/s"));

    public void Result(BenchResult r) =>
        _out.WriteLine(string.Create(Inv,
            $"{r.Model} on {r.Provider}: training {Rate(r.Training.Median)} images/s ({r.Training.MillisecondsPerStep(r.BatchSize):F1} ms/step, {r.TrainingGflops:N1} GFLOP/s), inference {Rate(r.Inference.Median)} images/s ({r.InferenceGflops:N1} GFLOP/s); batch {r.BatchSize}, peak memory {r.PeakMemoryBytes / (1024.0 * 1024 * 1024):F2} GiB"));

    public void Table(BenchReport report)
    {
        if (_console is not null)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("throughput, images/s (median window)")
                .AddColumn("Model").AddColumn("Provider")
                .AddColumn(new TableColumn("Training").RightAligned()).AddColumn(new TableColumn("min–max").RightAligned())
                .AddColumn(new TableColumn("ms/step").RightAligned()).AddColumn(new TableColumn("per CPU-s").RightAligned())
                .AddColumn(new TableColumn("% peak").RightAligned())
                .AddColumn(new TableColumn("Inference").RightAligned()).AddColumn(new TableColumn("min–max").RightAligned())
                .AddColumn(new TableColumn("% peak").RightAligned());
            foreach (var r in report.Results)
                table.AddRow(Markup.Escape(r.Model), Markup.Escape(r.Provider),
                    $"[bold]{Rate(r.Training.Median)}[/]", Range(r.Training), r.Training.MillisecondsPerStep(r.BatchSize).ToString("F1", Inv),
                    r.Training.ImagesPerCpuSecond.ToString("N0", Inv), PercentOfPeak(r.TrainingGflops, report.Peak, r.Threads),
                    $"[bold]{Rate(r.Inference.Median)}[/]", Range(r.Inference), PercentOfPeak(r.InferenceGflops, report.Peak, r.Threads));
            _console.Write(table);
            return;
        }
        _out.WriteLine($"{"model",-14} {"provider",-10} {"training/s",12} {"min-max",17} {"ms/step",8} {"per CPU-s",10} {"% peak",7} {"inference/s",12} {"min-max",17} {"% peak",7}");
        foreach (var r in report.Results)
            _out.WriteLine(string.Create(Inv,
                $"{r.Model,-14} {r.Provider,-10} {Rate(r.Training.Median),12} {Range(r.Training),17} {r.Training.MillisecondsPerStep(r.BatchSize),8:F1} {r.Training.ImagesPerCpuSecond,10:N0} {PercentOfPeak(r.TrainingGflops, report.Peak, r.Threads),7} {Rate(r.Inference.Median),12} {Range(r.Inference),17} {PercentOfPeak(r.InferenceGflops, report.Peak, r.Threads),7}"));
    }

    /// <summary>Effective GFLOP/s as a percentage of the peak measured for the threads the provider computes on.</summary>
    /// <summary>Images/s as a whole number, with two decimals below 10 (VGG16 on a CPU trains a fraction of an image per second).</summary>
    public static string Rate(double imagesPerSecond) => imagesPerSecond.ToString(imagesPerSecond < 10 ? "N2" : "N0", Inv);

    public static string PercentOfPeak(double gflops, BenchPeak peak, int threads) =>
        string.Create(Inv, $"{100 * gflops / peak.For(threads):F1} %");

    private static string Range(PhaseThroughput p) => string.Create(Inv, $"{p.Min:N0}–{p.Max:N0}");
}
