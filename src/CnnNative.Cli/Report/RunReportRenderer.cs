using System.Text;
using CnnNative.Nn.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Renders a <see cref="RunReportData"/> as one self-contained HTML page: styles inline, charts
/// as inline SVG, images as PNG <c>data:</c> URIs, no script and nothing fetched from anywhere.
/// The markup is also well-formed XML (void elements closed, only XML's five entities), so it
/// can be checked with an XML parser and read by any HTML one.
/// </summary>
internal static class RunReportRenderer
{
    /// <summary>Gallery images shown at most; the confusion matrix still counts every mistake.</summary>
    public const int MaxGalleryImages = 100;

    /// <summary>Points drawn per line at most; longer series are thinned evenly (the smoothing uses every value).</summary>
    internal const int MaxPlottedPoints = 2000;

    /// <summary>
    /// Stands in the navigation of a page rendered without <see cref="RunReportData.CompareLink"/>, so
    /// that writing a compare page later can add the link to it without rendering the page again.
    /// </summary>
    internal const string CompareLinkMarker = "<!--compare-runs-->";

    /// <summary>The page for <paramref name="data"/>; throws <see cref="ArgumentException"/> naming the field when the data is inconsistent.</summary>
    public static string Render(RunReportData data)
    {
        RunReportValidation.Validate(data);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        if (data.AutoRefreshSeconds is { } seconds)
            html.Append($"<meta http-equiv=\"refresh\" content=\"{seconds}\"/>\n");
        html.Append($"<title>{HtmlText.Escape(data.Title)}</title>\n<style>{ReportStyle.Css}</style>\n</head>\n<body>\n");
        Header(html, data);
        html.Append("<main>\n");
        Curves(html, data);
        MetricsTable(html, data);
        Confusion(html, data);
        Gallery(html, data);
        Filters(html, data);
        FeatureMaps(html, data);
        Settings(html, data);
        html.Append("</main>\n<footer>Written by CnnNative. This file is self-contained: it needs no network and no other files.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, RunReportData data)
    {
        html.Append($"<header>\n<h1>{HtmlText.Escape(data.Title)}</h1>\n");
        if (data.GeneratedAt is { } at)
            html.Append($"<p class=\"generated\">Generated {HtmlText.Escape(at.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture))}{(data.AutoRefreshSeconds is null ? "" : " — training in progress, this page reloads itself")}.</p>\n");
        html.Append("<nav><a href=\"#curves\">Curves</a> <a href=\"#metrics\">Epochs</a> <a href=\"#confusion\">Confusion matrix</a> <a href=\"#misclassified\">Mistakes</a> <a href=\"#filters\">Filters</a> <a href=\"#feature-maps\">Feature maps</a> <a href=\"#settings\">Settings</a>");
        html.Append(data.CompareLink is { } compare ? CompareAnchor(compare) : CompareLinkMarker);
        html.Append("</nav>\n");
        double trainingSeconds = data.TrainingSeconds ?? data.Epochs.Sum(e => e.Seconds);
        if (data.Epochs.Count > 0)
        {
            EpochMetrics last = data.Epochs[^1];
            EpochMetrics best = data.Epochs[0];
            foreach (EpochMetrics e in data.Epochs)
                if (e.TestAccuracy > best.TestAccuracy) best = e;
            html.Append("<dl class=\"summary\">");
            Summary(html, "Test accuracy", HtmlText.Percent(last.TestAccuracy));
            Summary(html, "Best test accuracy", $"{HtmlText.Percent(best.TestAccuracy)} (epoch {best.Epoch})");
            Summary(html, "Train accuracy", HtmlText.Percent(last.TrainAccuracy));
            if (double.IsFinite(last.TestLoss)) Summary(html, "Test loss", HtmlText.Number(last.TestLoss, "0.0000"));
            Summary(html, "Epochs", HtmlText.Integer(data.Epochs.Count));
            Summary(html, "Training time", Duration(trainingSeconds));
            Summary(html, "Throughput", $"{HtmlText.Number(last.ImagesPerSecond, "0")} images/s");
            html.Append("</dl>\n");
        }
        else if (trainingSeconds > 0)
        {
            // Stopped inside its first epoch: no epoch to summarise, but the time spent is real.
            html.Append("<dl class=\"summary\">");
            Summary(html, "Epochs", "0 finished");
            Summary(html, "Training time", Duration(trainingSeconds));
            html.Append("</dl>\n");
        }
        html.Append("</header>\n");
    }

    /// <summary>The navigation link to the compare page at <paramref name="href"/> (relative to the report).</summary>
    internal static string CompareAnchor(string href) => $"<a class=\"compare\" href=\"{HtmlText.Escape(href)}\">Compare runs</a>";

    private static void Summary(StringBuilder html, string term, string value) =>
        html.Append($"<div><dt>{HtmlText.Escape(term)}</dt><dd>{HtmlText.Escape(value)}</dd></div>");

    private static void Curves(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"curves\">\n<h2>Learning curves</h2>\n<div class=\"charts\">\n");
        LearningCurves.IterationLoss(html, data);
        LearningCurves.EpochLoss(html, data.Epochs);
        LearningCurves.Accuracy(html, data.Epochs);
        html.Append("</div>\n</section>\n");
    }

    private static void MetricsTable(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"metrics\">\n<h2>Epochs</h2>\n");
        if (data.Epochs.Count == 0)
        {
            html.Append("<p class=\"missing\">No epochs have finished yet.</p>\n</section>\n");
            return;
        }
        // The held-out columns only where the run recorded them (a validation split; test loss since it was added).
        bool validation = data.Epochs.Any(e => e.HasValidation), testLoss = data.Epochs.Any(e => double.IsFinite(e.TestLoss));
        html.Append("<table class=\"numbers\">\n<thead><tr><th>epoch</th><th>loss</th><th>train accuracy</th>");
        if (validation) html.Append("<th>validation loss</th><th>validation accuracy</th>");
        if (testLoss) html.Append("<th>test loss</th>");
        html.Append("<th>test accuracy</th><th>images/s</th><th>seconds</th></tr></thead>\n<tbody>\n");
        foreach (EpochMetrics e in data.Epochs)
        {
            html.Append($"<tr><td>{e.Epoch}</td><td>{HtmlText.Number(e.Loss, "0.0000")}</td><td>{HtmlText.Percent(e.TrainAccuracy)}</td>");
            if (validation) html.Append($"<td>{HtmlText.Number(e.ValidationLoss, "0.0000")}</td><td>{HtmlText.Percent(e.ValidationAccuracy)}</td>");
            if (testLoss) html.Append($"<td>{HtmlText.Number(e.TestLoss, "0.0000")}</td>");
            html.Append($"<td>{HtmlText.Percent(e.TestAccuracy)}</td><td>{HtmlText.Number(e.ImagesPerSecond, "0")}</td><td>{HtmlText.Number(e.Seconds, "0.0")}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Confusion(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n");
        if (data.ConfusionMatrix is not { } matrix)
        {
            html.Append("<p class=\"missing\">No confusion matrix was recorded for this run.</p>\n</section>\n");
            return;
        }
        long correct = 0, total = 0;
        for (int t = 0; t < matrix.GetLength(0); t++)
            for (int p = 0; p < matrix.GetLength(1); p++)
            {
                total += matrix[t, p];
                if (t == p) correct += matrix[t, p];
            }
        html.Append($"<p>{HtmlText.Integer(correct)} of {HtmlText.Integer(total)} test images right ({HtmlText.Percent(total > 0 ? (double)correct / total : double.NaN)}). Rows are the true classes, columns the predictions; blue cells are right, shaded by their share of the row; red cells are mistakes, the darkest being the most frequent confusion; each number is a count.</p>\n");
        html.Append(SvgConfusionMatrix.Render(matrix, ClassNames(data)));
        html.Append("\n</section>\n");
    }

    private static void Gallery(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"misclassified\">\n<h2>Misclassified test images</h2>\n");
        if (data.Misclassified.Count == 0)
        {
            html.Append(data.ConfusionMatrix is null
                ? "<p class=\"missing\">No misclassified images were recorded for this run.</p>\n</section>\n"
                : "<p class=\"note\">None: the model classified every test image correctly.</p>\n</section>\n");
            return;
        }
        int shown = Math.Min(data.Misclassified.Count, MaxGalleryImages);
        if (shown < data.Misclassified.Count)
            html.Append($"<p>Showing {shown} of {data.Misclassified.Count}.</p>\n");
        IReadOnlyList<string> names = ClassNames(data);
        html.Append("<div class=\"gallery\">\n");
        for (int i = 0; i < shown; i++)
        {
            MisclassifiedSample s = data.Misclassified[i];
            string truth = Name(names, s.TrueClass), predicted = Name(names, s.PredictedClass);
            int scale = Math.Max(1, 84 / Math.Max(s.Width, s.Height));
            string alt = $"true {truth}, predicted {predicted}";
            string title = s.Index is { } index ? $"test image #{HtmlText.Integer(index)}: {alt} ({HtmlText.Percent(s.Confidence)})" : alt;
            html.Append($"<figure class=\"sample\"><img src=\"{ImageTiles.DataUri(s.Pixels, s.Width, s.Height, scale)}\" width=\"{s.Width * scale}\" height=\"{s.Height * scale}\" alt=\"{HtmlText.Escape(alt)}\" title=\"{HtmlText.Escape(title)}\"/>");
            html.Append($"<figcaption><span class=\"truth\">{HtmlText.Escape(truth)}</span><br/><span class=\"predicted\">→ {HtmlText.Escape(predicted)}</span> {HtmlText.Percent(s.Confidence)}</figcaption></figure>\n");
        }
        html.Append("</div>\n<p class=\"note\">Top: the true class. Bottom: the model's answer and the probability it gave it.</p>\n</section>\n");
    }

    private static void Filters(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"filters\">\n<h2>First-layer filters</h2>\n");
        if (data.FirstLayerFilters is not { } bank)
        {
            html.Append("<p class=\"missing\">The model's first-layer filters were not recorded for this run.</p>\n</section>\n");
            return;
        }
        int size = bank.KernelHeight * bank.KernelWidth;
        int scale = Math.Max(1, 60 / Math.Max(bank.KernelHeight, bank.KernelWidth));
        html.Append("<div class=\"tiles filters\">\n");
        // A colour model's filters are drawn in colour, one tile per filter: its R, G and B weights
        // stretched together from the smallest (black) to the largest (full colour).
        if (bank.Channels == 3)
        {
            for (int f = 0; f < bank.Filters; f++)
            {
                ReadOnlySpan<float> rgb = bank.Weights.AsSpan(f * 3 * size, 3 * size);
                html.Append($"<figure class=\"tile\"><img src=\"{ImageTiles.NormalisedDataUri(rgb, bank.KernelWidth, bank.KernelHeight, scale)}\" width=\"{bank.KernelWidth * scale}\" height=\"{bank.KernelHeight * scale}\" alt=\"filter {f}\" title=\"filter {f}\"/></figure>\n");
            }
            html.Append($"</div>\n<p class=\"note\">{bank.Filters} filters of {bank.KernelHeight}×{bank.KernelWidth} × 3 colour channels, each drawn in colour: its red, green and blue weights stretched together from the smallest (black) to the largest (full intensity).</p>\n</section>\n");
            return;
        }
        for (int f = 0; f < bank.Filters; f++)
            for (int c = 0; c < bank.Channels; c++)
            {
                ReadOnlySpan<float> weights = bank.Weights.AsSpan((f * bank.Channels + c) * size, size);
                string label = bank.Channels == 1 ? $"filter {f}" : $"filter {f}, channel {c}";
                html.Append($"<figure class=\"tile\"><img src=\"{ImageTiles.NormalisedDataUri(weights, bank.KernelWidth, bank.KernelHeight, scale, invert: true)}\" width=\"{bank.KernelWidth * scale}\" height=\"{bank.KernelHeight * scale}\" alt=\"{label}\" title=\"{label}\"/></figure>\n");
            }
        html.Append($"</div>\n<p class=\"note\">{bank.Filters} filters of {bank.KernelHeight}×{bank.KernelWidth}{(bank.Channels > 1 ? $" × {bank.Channels} channels" : "")}, each stretched from its smallest weight (white) to its largest (black).</p>\n</section>\n");
    }

    private static void FeatureMaps(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"feature-maps\">\n<h2>Feature maps after the first convolution</h2>\n");
        if (data.FeatureMaps is not { } maps)
        {
            html.Append("<p class=\"missing\">No feature maps were recorded for this run.</p>\n</section>\n");
            return;
        }
        int scale = Math.Max(1, 84 / Math.Max(maps.Height, maps.Width));
        if (maps.Caption is not null)
            html.Append($"<p>{HtmlText.Escape(maps.Caption)}</p>\n");
        html.Append("<div class=\"tiles maps\">\n");
        if (maps.Input is { } input)
        {
            int inputScale = Math.Max(1, 84 / Math.Max(maps.InputWidth, maps.InputHeight));
            html.Append($"<figure class=\"tile input\"><img src=\"{ImageTiles.DataUri(input, maps.InputWidth, maps.InputHeight, inputScale)}\" width=\"{maps.InputWidth * inputScale}\" height=\"{maps.InputHeight * inputScale}\" alt=\"input image\"/><figcaption>input</figcaption></figure>\n");
        }
        int size = maps.Height * maps.Width;
        for (int m = 0; m < maps.Maps; m++)
            html.Append($"<figure class=\"tile\"><img src=\"{ImageTiles.NormalisedDataUri(maps.Values.AsSpan(m * size, size), maps.Width, maps.Height, scale)}\" width=\"{maps.Width * scale}\" height=\"{maps.Height * scale}\" alt=\"feature map {m}\"/><figcaption>{m}</figcaption></figure>\n");
        html.Append("</div>\n<p class=\"note\">Each map stretched from its smallest activation (black) to its largest (white).</p>\n</section>\n");
    }

    private static void Settings(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"settings\">\n<h2>Run settings</h2>\n");
        if (data.Settings.Count == 0)
        {
            html.Append("<p class=\"missing\">No settings were recorded for this run.</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"settings\">\n<tbody>\n");
        foreach (var (key, value) in data.Settings)
            html.Append($"<tr><th>{HtmlText.Escape(key)}</th><td>{HtmlText.Escape(value)}</td></tr>\n");
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static IReadOnlyList<string> ClassNames(RunReportData data)
    {
        if (data.ClassNames.Count > 0) return data.ClassNames;
        int classes = RunReportValidation.ClassCount(data);
        var names = new string[classes];
        for (int i = 0; i < classes; i++) names[i] = HtmlText.Integer(i);
        return names;
    }

    private static string Name(IReadOnlyList<string> names, int index) =>
        (uint)index < (uint)names.Count ? names[index] : HtmlText.Integer(index);

    /// <summary>"42.0 s", "3 min 5 s" or "2 h 7 min"; "n/a" when not finite.</summary>
    internal static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds)) return "n/a";
        if (seconds < 60) return $"{HtmlText.Number(seconds, "0.0")} s";
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{span.Minutes} min {span.Seconds} s";
    }
}
