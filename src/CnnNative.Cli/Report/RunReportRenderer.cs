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

    private const string Blue = "#1f77b4", Orange = "#ff7f0e", Gray = "#8c96a0";

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
        html.Append("<nav><a href=\"#curves\">Curves</a> <a href=\"#metrics\">Epochs</a> <a href=\"#confusion\">Confusion matrix</a> <a href=\"#misclassified\">Mistakes</a> <a href=\"#filters\">Filters</a> <a href=\"#feature-maps\">Feature maps</a> <a href=\"#settings\">Settings</a></nav>\n");
        if (data.Epochs.Count > 0)
        {
            EpochMetrics last = data.Epochs[^1];
            EpochMetrics best = data.Epochs[0];
            double totalSeconds = 0;
            foreach (EpochMetrics e in data.Epochs)
            {
                if (e.TestAccuracy > best.TestAccuracy) best = e;
                totalSeconds += e.Seconds;
            }
            html.Append("<dl class=\"summary\">");
            Summary(html, "Test accuracy", HtmlText.Percent(last.TestAccuracy));
            Summary(html, "Best test accuracy", $"{HtmlText.Percent(best.TestAccuracy)} (epoch {best.Epoch})");
            Summary(html, "Train accuracy", HtmlText.Percent(last.TrainAccuracy));
            Summary(html, "Epochs", HtmlText.Integer(data.Epochs.Count));
            Summary(html, "Training time", Duration(totalSeconds));
            Summary(html, "Throughput", $"{HtmlText.Number(last.ImagesPerSecond, "0")} images/s");
            html.Append("</dl>\n");
        }
        html.Append("</header>\n");
    }

    private static void Summary(StringBuilder html, string term, string value) =>
        html.Append($"<div><dt>{HtmlText.Escape(term)}</dt><dd>{HtmlText.Escape(value)}</dd></div>");

    private static void Curves(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"curves\">\n<h2>Learning curves</h2>\n<div class=\"charts\">\n<figure id=\"loss\">");
        if (data.StepLosses.Count > 0)
        {
            var losses = new double[data.StepLosses.Count];
            bool everyStep = true;
            for (int i = 0; i < losses.Length; i++)
            {
                losses[i] = data.StepLosses[i].Loss;
                everyStep &= data.StepLosses[i].Step == i + 1;
            }
            var raw = Thin(losses.Length, i => (data.StepLosses[i].Step, losses[i]));
            string rawName = everyStep ? "loss per mini-batch" : "mean loss between points";
            var series = new List<ChartSeries> { new(rawName, Gray, raw) { StrokeWidth = 1, Opacity = 0.55 } };
            // On fewer points than two windows the average is mostly made of mirrored values
            // (on 3 points it rose while the loss fell): draw it only where it means something.
            bool averaged = losses.Length >= CurveSmoothing.MinimumLength;
            if (averaged)
            {
                double[] smooth = CurveSmoothing.SmoothCurve(losses);
                series.Add(new ChartSeries($"moving average ({CurveSmoothing.WindowLength} points)", Blue,
                    Thin(smooth.Length, i => (data.StepLosses[i].Step, smooth[i]))) { StrokeWidth = 2 });
            }
            html.Append(SvgLineChart.Render("Training loss per iteration", "iteration (mini-batch)", "loss", series, yMin: 0));
            string what = everyStep
                ? "Loss of every mini-batch (gray)"
                : "Training loss over the iterations (gray): each point is the mean loss of the mini-batches since the previous one, recorded about every 5 % of an epoch";
            string average = averaged
                ? $"; blue: its moving average over {CurveSmoothing.WindowLength} points, weighted by a Kaiser window (β = 2)."
                : $"; with fewer than {CurveSmoothing.MinimumLength} points no moving average is drawn.";
            html.Append($"<figcaption>{what}{average}</figcaption>");
        }
        else if (data.Epochs.Count > 0)
        {
            var points = new List<(double, double)>();
            foreach (EpochMetrics e in data.Epochs) points.Add((e.Epoch, e.Loss));
            html.Append(SvgLineChart.Render("Training loss per epoch", "epoch", "loss",
                [new ChartSeries("mean training loss", Blue, points) { Markers = true }], yMin: 0, wholeX: true));
            html.Append("<figcaption>Mean training loss of each epoch (per-iteration losses were not recorded for this run).</figcaption>");
        }
        else
        {
            html.Append("<p class=\"missing\">No loss values were recorded for this run.</p>");
        }
        html.Append("</figure>\n<figure id=\"accuracy\">");
        if (data.Epochs.Count > 0)
        {
            var train = new List<(double, double)>();
            var test = new List<(double, double)>();
            double lowest = 1;
            foreach (EpochMetrics e in data.Epochs)
            {
                train.Add((e.Epoch, e.TrainAccuracy));
                test.Add((e.Epoch, e.TestAccuracy));
                if (double.IsFinite(e.TrainAccuracy)) lowest = Math.Min(lowest, e.TrainAccuracy);
                if (double.IsFinite(e.TestAccuracy)) lowest = Math.Min(lowest, e.TestAccuracy);
            }
            html.Append(SvgLineChart.Render("Accuracy per epoch", "epoch", "accuracy",
            [
                new ChartSeries("train", Blue, train) { Markers = true },
                new ChartSeries("test", Orange, test) { Markers = true },
            ], yMin: Math.Max(0, lowest - 0.02), yMax: 1, wholeX: true));
            html.Append("<figcaption>Accuracy on the training set and on the test set after each epoch; a widening gap means overfitting.</figcaption>");
        }
        else
        {
            html.Append("<p class=\"missing\">No epochs have finished yet.</p>");
        }
        html.Append("</figure>\n</div>\n</section>\n");
    }

    private static void MetricsTable(StringBuilder html, RunReportData data)
    {
        html.Append("<section id=\"metrics\">\n<h2>Epochs</h2>\n");
        if (data.Epochs.Count == 0)
        {
            html.Append("<p class=\"missing\">No epochs have finished yet.</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"numbers\">\n<thead><tr><th>epoch</th><th>loss</th><th>train accuracy</th><th>test accuracy</th><th>images/s</th><th>seconds</th></tr></thead>\n<tbody>\n");
        foreach (EpochMetrics e in data.Epochs)
            html.Append($"<tr><td>{e.Epoch}</td><td>{HtmlText.Number(e.Loss, "0.0000")}</td><td>{HtmlText.Percent(e.TrainAccuracy)}</td><td>{HtmlText.Percent(e.TestAccuracy)}</td><td>{HtmlText.Number(e.ImagesPerSecond, "0")}</td><td>{HtmlText.Number(e.Seconds, "0.0")}</td></tr>\n");
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

    /// <summary>At most <see cref="MaxPlottedPoints"/> evenly spaced points of a series, always keeping the last.</summary>
    private static List<(double X, double Y)> Thin(int count, Func<int, (double, double)> point)
    {
        int stride = Math.Max(1, (count + MaxPlottedPoints - 1) / MaxPlottedPoints);
        var points = new List<(double X, double Y)>(count / stride + 2);
        for (int i = 0; i < count; i += stride) points.Add(point(i));
        if ((count - 1) % stride != 0) points.Add(point(count - 1));
        return points;
    }

    private static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds)) return "n/a";
        if (seconds < 60) return $"{HtmlText.Number(seconds, "0.0")} s";
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{span.Minutes} min {span.Seconds} s";
    }
}
