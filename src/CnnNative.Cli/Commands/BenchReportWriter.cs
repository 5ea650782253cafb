using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>
/// Writes a <see cref="BenchReport"/> as <c>throughput.json</c> (every window, for scripts such
/// as <c>./build.sh compare</c>) and <c>throughput.md</c> (the table for a README), each
/// replaced atomically so a reader never sees half a report.
/// </summary>
internal static class BenchReportWriter
{
    public const string JsonFile = "throughput.json";
    public const string MarkdownFile = "throughput.md";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes both files into <paramref name="folder"/> (created if missing); returns their paths.</summary>
    public static (string Json, string Markdown) Write(BenchReport report, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot create the output folder '{Path.GetFullPath(folder)}': {e.Message} Choose another --output.", ExitCodes.Failure, e);
        }
        string json = Path.Combine(folder, JsonFile);
        string markdown = Path.Combine(folder, MarkdownFile);
        AtomicFile.WriteAllText(json, ToJson(report));
        AtomicFile.WriteAllText(markdown, ToMarkdown(report));
        return (json, markdown);
    }

    public static string ToJson(BenchReport report) => JsonSerializer.Serialize(report, Json) + "\n";

    public static string ToMarkdown(BenchReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var m = report.Machine;
        var s = report.Settings;
        md.AppendLine(inv, $"# CnnNative throughput, {report.Date.ToString("yyyy-MM-dd HH:mm zzz", inv)}");
        md.AppendLine();
        md.AppendLine(inv, $"Command: `{report.Command}`");
        md.AppendLine();
        md.AppendLine(inv, $"Batch {s.BatchSize}; median of {s.Windows} timed windows of {s.Seconds:0.##} s after a {s.WarmupSeconds:0.##} s warm-up per phase.");
        md.AppendLine("Training: upload, forward, loss, backward, Adam update. Inference: upload, forward, correct count. Images/s (wall clock); higher is better.");
        md.AppendLine("\"Per CPU-s\": images per second of CPU time of the whole process, which holds up on a loaded machine where wall-clock figures do not.");
        md.AppendLine();
        md.AppendLine("| machine | |");
        md.AppendLine("|---|---|");
        Row(md, "CPU", m.Cpu);
        Row(md, "logical cores", m.LogicalCores.ToString(inv));
        Row(md, "SIMD", m.Simd);
        Row(md, "OpenBLAS", m.OpenBlasVersion is null ? m.OpenBlasCore : $"{m.OpenBlasVersion}, core {m.OpenBlasCore}");
        Row(md, "OpenCL device", m.OpenClDevice);
        Row(md, "OS", m.Os);
        Row(md, ".NET", m.Runtime);
        Row(md, "measured FMA peak", $"{report.Peak.OneCore:N1} GFLOP/s on one core, {report.Peak.AllCores:N1} on {report.Peak.Cores}, {report.Peak.PerCpuSecond:N1} per CPU-second ({report.Peak.Vector} probe, {report.Peak.SecondsPerProbe:0.##} s each)");
        Row(md, "load average (1/5/15 min) at start → end", m.LoadAverageAtStart is null ? null : $"{m.LoadAverageAtStart} → {m.LoadAverageAtEnd}");
        md.AppendLine();
        md.AppendLine("GFLOP/s: images/s × the model's multiply-adds per image (convolutions and affine layers, ×2; training counts the forward, weight-gradient and input-gradient products); % peak: of the FMA peak measured in this run for the provider's threads; % peak/CPU-s: training GFLOP per CPU-second of the process over the probe's, which a loaded machine distorts far less.");
        md.AppendLine();
        md.AppendLine("| model | provider | training images/s | (min–max) | ms/step | per CPU-s | GFLOP/s | % peak | % peak/CPU-s | inference images/s | (min–max) | per CPU-s | GFLOP/s | % peak |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Results)
        {
            md.AppendLine(inv,
                $"| {r.Model} | {r.Provider} | {r.Training.Median:N0} | {r.Training.Min:N0}–{r.Training.Max:N0} | {r.Training.MillisecondsPerStep(r.BatchSize):F1} | {r.Training.ImagesPerCpuSecond:N0} | {r.TrainingGflops:N1} | {BenchOutput.PercentOfPeak(r.TrainingGflops, report.Peak, r.Threads)} | {100 * r.TrainingGflopsPerCpuSecond / report.Peak.PerCpuSecond:F1} % | {r.Inference.Median:N0} | {r.Inference.Min:N0}–{r.Inference.Max:N0} | {r.Inference.ImagesPerCpuSecond:N0} | {r.InferenceGflops:N1} | {BenchOutput.PercentOfPeak(r.InferenceGflops, report.Peak, r.Threads)} |");
        }
        if (report.Skipped.Count > 0)
        {
            md.AppendLine();
            foreach (var skipped in report.Skipped)
                md.AppendLine(inv, $"- not measured: {skipped.Provider}: {skipped.Reason}");
        }
        md.AppendLine();
        md.AppendLine("Providers:");
        md.AppendLine();
        foreach (ProviderInfo info in report.Providers)
            md.AppendLine(inv, $"- {info}");
        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, string? value)
    {
        if (value is not null) md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value.Replace("|", "\\|")} |");
    }
}
