using System.Text;
using CnnNative.Nn.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// The run report's learning curves, each one <c>&lt;figure&gt;</c> with its caption: the
/// training loss over the iterations (raw and, on long enough runs, its moving average), the
/// loss per epoch on the training, validation and test sets, and the accuracy per epoch.
/// </summary>
internal static class LearningCurves
{
    /// <summary>The colours every chart gives the same meaning: training, test, validation, raw values.</summary>
    public const string Blue = "#1f77b4", Orange = "#ff7f0e", Green = "#2ca02c", Gray = "#8c96a0";

    /// <summary>The per-iteration training loss (<c>id="loss"</c>).</summary>
    public static void IterationLoss(StringBuilder html, RunReportData data)
    {
        html.Append("<figure id=\"loss\">");
        if (data.StepLosses.Count == 0)
        {
            html.Append(data.Epochs.Count > 0
                ? "<p class=\"missing\">The loss of each iteration was not recorded for this run; its loss per epoch is shown beside.</p>"
                : "<p class=\"missing\">No loss values were recorded for this run.</p>");
            html.Append("</figure>\n");
            return;
        }
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
            // Drawn only where the whole window holds real values: at the ends the average is made
            // partly of mirrored ones, and where the loss falls fast it started far below it.
            double[] smooth = CurveSmoothing.SmoothCurve(losses);
            int edge = CurveSmoothing.WindowLength / 2;
            series.Add(new ChartSeries($"moving average ({CurveSmoothing.WindowLength} points)", Blue,
                Thin(smooth.Length - 2 * edge, i => (data.StepLosses[edge + i].Step, smooth[edge + i]))) { StrokeWidth = 2 });
        }
        html.Append(SvgLineChart.Render("Training loss per iteration", "iteration (mini-batch)", "loss", series, yMin: 0));
        string what = everyStep
            ? "Loss of every mini-batch (gray)"
            : "Training loss over the iterations (gray): each point is the mean loss of the mini-batches since the previous one, recorded about every 5 % of an epoch";
        string average = averaged
            ? $"; blue: its moving average over {CurveSmoothing.WindowLength} points, weighted by a Kaiser window (β = 2), drawn where all {CurveSmoothing.WindowLength} points are measured values (not over the first and last {CurveSmoothing.WindowLength / 2})."
            : $"; with fewer than {CurveSmoothing.MinimumLength} points no moving average is drawn.";
        html.Append($"<figcaption>{what}{average}</figcaption></figure>\n");
    }

    /// <summary>The loss per epoch on the training set and, where recorded, the validation and test sets (<c>id="epoch-loss"</c>).</summary>
    public static void EpochLoss(StringBuilder html, IReadOnlyList<EpochMetrics> epochs)
    {
        if (epochs.Count == 0) return;
        var series = new List<ChartSeries> { new("training", Blue, Points(epochs, e => e.Loss)) { Markers = true } };
        bool validation = epochs.Any(e => double.IsFinite(e.ValidationLoss)), test = epochs.Any(e => double.IsFinite(e.TestLoss));
        if (validation) series.Add(new ChartSeries("validation", Green, Points(epochs, e => e.ValidationLoss)) { Markers = true });
        if (test) series.Add(new ChartSeries("test", Orange, Points(epochs, e => e.TestLoss)) { Markers = true });
        html.Append("<figure id=\"epoch-loss\">");
        html.Append(SvgLineChart.Render("Loss per epoch", "epoch", "loss", series, yMin: 0, wholeX: true));
        string others = (validation, test) switch
        {
            (true, true) => "; green: the held-out validation set and orange: the test set, each after the epoch with dropout off",
            (true, false) => "; green: the held-out validation set after the epoch, with dropout off (no test loss was recorded)",
            (false, true) => "; orange: the test set after the epoch, with dropout off",
            _ => " (no validation or test loss was recorded for this run)",
        };
        html.Append($"<figcaption>Blue: mean training loss of each epoch, measured while it trained{others}. Held-out loss rising while training loss falls means overfitting.</figcaption></figure>\n");
    }

    /// <summary>The accuracy per epoch on the training, validation (when recorded) and test sets (<c>id="accuracy"</c>).</summary>
    public static void Accuracy(StringBuilder html, IReadOnlyList<EpochMetrics> epochs)
    {
        html.Append("<figure id=\"accuracy\">");
        if (epochs.Count == 0)
        {
            html.Append("<p class=\"missing\">No epochs have finished yet.</p></figure>\n");
            return;
        }
        double lowest = 1;
        foreach (EpochMetrics e in epochs)
            foreach (double value in (double[])[e.TrainAccuracy, e.TestAccuracy, e.ValidationAccuracy])
                if (double.IsFinite(value)) lowest = Math.Min(lowest, value);
        var series = new List<ChartSeries> { new("train", Blue, Points(epochs, e => e.TrainAccuracy)) { Markers = true } };
        bool validation = epochs.Any(e => double.IsFinite(e.ValidationAccuracy));
        if (validation) series.Add(new ChartSeries("validation", Green, Points(epochs, e => e.ValidationAccuracy)) { Markers = true });
        series.Add(new ChartSeries("test", Orange, Points(epochs, e => e.TestAccuracy)) { Markers = true });
        html.Append(SvgLineChart.Render("Accuracy per epoch", "epoch", "accuracy", series, yMin: Math.Max(0, lowest - 0.02), yMax: 1, wholeX: true));
        html.Append($"<figcaption>Accuracy on the training set{(validation ? ", the validation set" : "")} and the test set after each epoch; a widening gap means overfitting.</figcaption></figure>\n");
    }

    /// <summary>One (epoch, value) point per row.</summary>
    public static List<(double X, double Y)> Points(IReadOnlyList<EpochMetrics> epochs, Func<EpochMetrics, double> value)
    {
        var points = new List<(double X, double Y)>(epochs.Count);
        foreach (EpochMetrics e in epochs) points.Add((e.Epoch, value(e)));
        return points;
    }

    /// <summary>At most <see cref="RunReportRenderer.MaxPlottedPoints"/> evenly spaced points of a series, always keeping the last.</summary>
    private static List<(double X, double Y)> Thin(int count, Func<int, (double, double)> point)
    {
        int stride = Math.Max(1, (count + RunReportRenderer.MaxPlottedPoints - 1) / RunReportRenderer.MaxPlottedPoints);
        var points = new List<(double X, double Y)>(count / stride + 2);
        for (int i = 0; i < count; i += stride) points.Add(point(i));
        if ((count - 1) % stride != 0) points.Add(point(count - 1));
        return points;
    }
}
