using System.Globalization;
using System.Text;
using CnnNative.Nn.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// The compare page of <c>cnn report RUN_A RUN_B …</c>: the runs' curves overlaid (one colour
/// per run, on every chart and in the table) and a table of their settings and best results.
/// Self-contained like the run report: inline styles and SVG, no script, nothing fetched; the
/// only links are to each run's own report.html.
/// </summary>
internal static class ComparePage
{
    /// <summary>The page's file name in the runs' common folder.</summary>
    public const string FileName = "compare.html";

    /// <summary>One colour per run, in order (Tableau's ten); an eleventh run starts over.</summary>
    internal static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The page comparing <paramref name="runs"/>. <paramref name="reportLink"/> gives each run's
    /// report.html relative to the page, or null when the run has none yet.
    /// </summary>
    public static string Render(IReadOnlyList<RunSummary> runs, Func<RunSummary, string?> reportLink, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(reportLink);
        if (runs.Count == 0) throw new ArgumentException("A compare page needs at least one run.", nameof(runs));
        string title = runs.Count == 1 ? $"Run {runs[0].Name}" : $"Comparing {runs.Count} runs";
        var html = new StringBuilder(32 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        html.Append($"<title>{HtmlText.Escape(title)}</title>\n<style>{ReportStyle.Css}</style>\n</head>\n<body>\n");
        html.Append($"<header>\n<h1>{HtmlText.Escape(title)}</h1>\n");
        html.Append($"<p class=\"generated\">Generated {HtmlText.Escape(generatedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv))} from the runs' folders (run.json, metrics.csv and the checkpoints' settings). Each run has one colour on every chart and in the table.</p>\n");
        html.Append("<nav><a href=\"#curves\">Curves</a> <a href=\"#runs\">Runs</a></nav>\n</header>\n<main>\n");
        Curves(html, runs);
        Table(html, runs, reportLink);
        html.Append("</main>\n<footer>Written by CnnNative (cnn report with several runs). This file is self-contained apart from the links to each run's own report.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Curves(StringBuilder html, IReadOnlyList<RunSummary> runs)
    {
        html.Append("<section id=\"curves\">\n<h2>Learning curves</h2>\n<div class=\"charts\">\n");
        Chart(html, runs, "test-accuracy", "Test accuracy per epoch", "accuracy", e => e.TestAccuracy,
            "Accuracy on the whole test set after each epoch.", accuracy: true);
        Chart(html, runs, "training-loss", "Training loss per epoch", "loss", e => e.Loss,
            "Mean training loss of each epoch, measured while it trained.");
        Chart(html, runs, "test-loss", "Test loss per epoch", "loss", e => e.TestLoss,
            "Loss on the whole test set after each epoch, dropout off.");
        Chart(html, runs, "validation-loss", "Validation loss per epoch", "loss", e => e.ValidationLoss,
            "Loss on each run's held-out validation set after each epoch (runs trained with --validation-split).");
        html.Append("</div>\n</section>\n");
    }

    /// <summary>One overlaid chart; left out when no run recorded the value (test loss in older runs, validation without a split).</summary>
    private static void Chart(StringBuilder html, IReadOnlyList<RunSummary> runs, string id, string title, string yLabel,
        Func<EpochMetrics, double> value, string caption, bool accuracy = false)
    {
        var series = new List<ChartSeries>();
        double lowest = 1;
        bool any = false;
        for (int r = 0; r < runs.Count; r++)
        {
            var points = LearningCurves.Points(runs[r].Epochs, value);
            foreach (var (_, y) in points)
                if (double.IsFinite(y))
                {
                    any = true;
                    lowest = Math.Min(lowest, y);
                }
            series.Add(new ChartSeries(runs[r].Name, Color(r), points) { Markers = true });
        }
        if (!any)
        {
            if (accuracy) html.Append($"<figure id=\"{id}\"><p class=\"missing\">None of these runs has finished an epoch yet.</p></figure>\n");
            return;
        }
        html.Append($"<figure id=\"{id}\">");
        html.Append(accuracy
            ? SvgLineChart.Render(title, "epoch", yLabel, series, yMin: Math.Max(0, lowest - 0.02), yMax: 1, wholeX: true, legend: false)
            : SvgLineChart.Render(title, "epoch", yLabel, series, yMin: 0, wholeX: true, legend: false));
        html.Append($"<figcaption>{HtmlText.Escape(caption)} Colours as in the table below.</figcaption></figure>\n");
    }

    private static void Table(StringBuilder html, IReadOnlyList<RunSummary> runs, Func<RunSummary, string?> reportLink)
    {
        html.Append("<section id=\"runs\">\n<h2>Runs</h2>\n<div class=\"scroll\">\n<table class=\"compare\">\n<thead><tr>");
        foreach (string column in (string[])["run", "status", "model", "provider", "optimizer", "learning rate", "batch size",
                     "epochs", "seed", "validation split", "best test accuracy", "final test accuracy", "best validation accuracy", "lowest test loss", "training time"])
            html.Append($"<th>{column}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < runs.Count; r++)
        {
            RunSummary run = runs[r];
            TrainingSettings? s = run.Settings;
            string name = HtmlText.Escape(run.Name);
            string link = reportLink(run) is { } href ? $"<a href=\"{HtmlText.Escape(href)}\">{name}</a>" : name;
            html.Append($"<tr data-run=\"{name}\"><td><span class=\"swatch\" style=\"background:{Color(r)}\"></span>{link}</td>");
            Cell(html, Status(run));
            Cell(html, run.ModelName);
            Cell(html, run.Info is { } info ? $"{info.Provider.Name} ({info.Provider.Threads} thread{(info.Provider.Threads == 1 ? "" : "s")})" : "–");
            Cell(html, s is null ? "–" : s.Optimizer.Name + (s.Schedule.IsConstant ? "" : $", {s.Schedule} schedule"));
            Cell(html, s is null ? "–" : s.Optimizer.LearningRate.ToString(Inv));
            Cell(html, s is null ? "–" : HtmlText.Integer(s.BatchSize));
            Cell(html, s is null ? HtmlText.Integer(run.Epochs.Count) : $"{run.Epochs.Count} of {s.Epochs}");
            Cell(html, s is null ? "–" : s.Seed.ToString(Inv));
            Cell(html, s is null || s.ValidationSplit <= 0 ? "none" : HtmlText.Percent(s.ValidationSplit));
            Cell(html, Best(run.Epochs, e => e.TestAccuracy, higher: true, HtmlText.Percent));
            Cell(html, run.Epochs.Count == 0 ? "–" : HtmlText.Percent(run.Epochs[^1].TestAccuracy));
            Cell(html, Best(run.Epochs, e => e.ValidationAccuracy, higher: true, HtmlText.Percent));
            Cell(html, Best(run.Epochs, e => e.TestLoss, higher: false, v => HtmlText.Number(v, "0.0000")));
            double seconds = RunReportBuilder.TrainingSeconds(run.Epochs, run.State);
            Cell(html, seconds > 0 ? RunReportRenderer.Duration(seconds) : "–");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n");
        html.Append("<p class=\"note\">Best values are over the finished epochs, with the epoch that reached them; training time counts every session of a run that was interrupted and resumed, including an unfinished epoch. Each run's name links to its own report.</p>\n</section>\n");
    }

    private static void Cell(StringBuilder html, string text) => html.Append($"<td>{HtmlText.Escape(text)}</td>");

    /// <summary>"87.12% (epoch 3)" for the best finite value, or "–" when no epoch recorded one.</summary>
    private static string Best(IReadOnlyList<EpochMetrics> epochs, Func<EpochMetrics, double> value, bool higher, Func<double, string> format)
    {
        EpochMetrics? best = null;
        foreach (EpochMetrics e in epochs)
        {
            double v = value(e);
            if (!double.IsFinite(v)) continue;
            if (best is null || (higher ? v > value(best) : v < value(best))) best = e;
        }
        return best is null ? "–" : $"{format(value(best))} (epoch {best.Epoch})";
    }

    private static string Status(RunSummary run)
    {
        if (run.Info is not { } info) return run.Epochs.Count == 0 ? "no epoch finished" : "no run.json";
        return info.Status == CnnNative.Training.RunInfo.Running ? "running (or killed)" : info.Status;
    }

    private static string Color(int run) => Palette[run % Palette.Length];
}
