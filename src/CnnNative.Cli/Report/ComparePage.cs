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
        html.Append($"<figure id=\"{id}\"><h3>{HtmlText.Escape(title)}</h3>");
        html.Append(accuracy
            ? SvgLineChart.Render(title, "epoch", yLabel, series, yMin: Math.Max(0, lowest - 0.02), yMax: 1, wholeX: true, legend: false)
            : SvgLineChart.Render(title, "epoch", yLabel, series, yMin: 0, wholeX: true, legend: false));
        html.Append($"<figcaption>{HtmlText.Escape(caption)} Colours as in the table below.</figcaption></figure>\n");
    }

    /// <summary>
    /// The settings and results, one row each and one column per run (a few runs with many
    /// settings read best side by side); rows where the runs differ are marked <c>class="differs"</c> and drawn bold.
    /// </summary>
    private static void Table(StringBuilder html, IReadOnlyList<RunSummary> runs, Func<RunSummary, string?> reportLink)
    {
        html.Append("<section id=\"runs\">\n<h2>Runs</h2>\n<div class=\"scroll\">\n<table class=\"compare\">\n<thead><tr><th></th>");
        for (int r = 0; r < runs.Count; r++)
        {
            string name = HtmlText.Escape(runs[r].Name);
            string link = reportLink(runs[r]) is { } href ? $"<a href=\"{HtmlText.Escape(href)}\">{name}</a>" : name;
            html.Append($"<th data-run=\"{name}\"><span class=\"swatch\" style=\"background:{Color(r)}\"></span>{link}</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (key, value) in Rows())
        {
            var cells = runs.Select(value).ToList();
            bool differs = cells.Distinct(StringComparer.Ordinal).Count() > 1;
            html.Append(differs ? "<tr class=\"differs\">" : "<tr>").Append($"<th>{HtmlText.Escape(key)}</th>");
            foreach (string cell in cells) html.Append($"<td>{HtmlText.Escape(cell)}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n");
        html.Append("<p class=\"note\">Bold rows differ between the runs. Best values are over the finished epochs, with the epoch that reached them; training time counts every session of a run that was interrupted and resumed, including an unfinished epoch. Each run's name links to its own report.</p>\n</section>\n");
    }

    /// <summary>The table's rows: a name and how to read it from a run ("–" where the run did not record it).</summary>
    private static IEnumerable<(string Key, Func<RunSummary, string> Value)> Rows()
    {
        yield return ("status", Status);
        yield return ("model", run => run.ModelName);
        yield return ("provider", run => run.Info is { } info ? $"{info.Provider.Name} ({info.Provider.Threads} thread{(info.Provider.Threads == 1 ? "" : "s")})" : "–");
        yield return ("optimizer", run => run.Settings is { } s ? s.Optimizer.Name + (s.Schedule.IsConstant ? "" : $", {s.Schedule} schedule") : "–");
        yield return ("learning rate", run => run.Settings?.Optimizer.LearningRate.ToString(Inv) ?? "–");
        yield return ("batch size", run => run.Settings is { } s ? HtmlText.Integer(s.BatchSize) : "–");
        yield return ("epochs", run => run.Settings is { } s ? $"{run.Epochs.Count} of {s.Epochs}" : HtmlText.Integer(run.Epochs.Count));
        yield return ("seed", run => run.Settings?.Seed.ToString(Inv) ?? "–");
        yield return ("validation split", run => run.Settings is { ValidationSplit: > 0 } s ? HtmlText.Percent(s.ValidationSplit) : "none");
        yield return ("best test accuracy", run => Best(run.Epochs, e => e.TestAccuracy, higher: true, HtmlText.Percent));
        yield return ("final test accuracy", run => run.Epochs.Count == 0 ? "–" : HtmlText.Percent(run.Epochs[^1].TestAccuracy));
        yield return ("best validation accuracy", run => Best(run.Epochs, e => e.ValidationAccuracy, higher: true, HtmlText.Percent));
        yield return ("lowest test loss", run => Best(run.Epochs, e => e.TestLoss, higher: false, v => HtmlText.Number(v, "0.0000")));
        yield return ("training time", run => RunReportBuilder.TrainingSeconds(run.Epochs, run.State) is > 0 and var seconds ? RunReportRenderer.Duration(seconds) : "–");
    }

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
