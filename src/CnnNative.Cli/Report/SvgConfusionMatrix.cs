using System.Text;

namespace CnnNative.Cli.Report;

/// <summary>
/// The confusion matrix as an SVG heat map: rows are true classes, columns predictions, each
/// cell shows its count. Cells are shaded by their share of the row (so a rare class's mistakes
/// are as visible as a common one's): the diagonal in blue by that share, mistakes in red
/// relative to the largest mistake share, so the worst confusion always stands out. The right
/// margin gives each class's recall; hovering a cell shows its full description.
/// </summary>
internal static class SvgConfusionMatrix
{
    private const int Cell = 44;
    private const double CharWidth = 7.2; // approximate advance of 12px sans-serif, for margins

    public static string Render(int[,] counts, IReadOnlyList<string> classNames)
    {
        int classes = counts.GetLength(0);
        int longest = 1;
        foreach (string name in classNames) longest = Math.Max(longest, name.Length);
        int left = 44 + (int)(longest * CharWidth); // room for the rotated "true class" axis label
        int top = 20 + (int)(longest * CharWidth * 0.75); // column labels are rotated by 45°
        int right = 72, bottom = 36;
        int width = left + classes * Cell + right, height = top + classes * Cell + bottom;

        double worstMistake = WorstMistakeShare(counts);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"confusion\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Confusion matrix\">");
        svg.Append("<title>Confusion matrix: rows are true classes, columns are predictions</title>");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");

        for (int t = 0; t < classes; t++)
        {
            long rowTotal = 0;
            for (int p = 0; p < classes; p++) rowTotal += counts[t, p];
            for (int p = 0; p < classes; p++)
            {
                double share = rowTotal > 0 ? (double)counts[t, p] / rowTotal : 0;
                int x = left + p * Cell, y = top + t * Cell;
                double shade = t == p ? share : worstMistake > 0 ? share / worstMistake : 0;
                string description = $"true {classNames[t]}, predicted {classNames[p]}: {counts[t, p]} ({HtmlText.Percent(share)} of {classNames[t]})";
                svg.Append($"<g class=\"cell\" data-true=\"{t}\" data-predicted=\"{p}\"><title>{HtmlText.Escape(description)}</title>");
                svg.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{Shade(shade, t == p)}\" stroke=\"#ffffff\" stroke-width=\"1\"/>");
                svg.Append($"<text x=\"{x + Cell / 2}\" y=\"{y + Cell / 2 + 4}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{(shade > 0.5 ? "#ffffff" : "#222222")}\">{HtmlText.Integer(counts[t, p])}</text></g>");
            }
            long correct = counts[t, t];
            string recall = rowTotal > 0 ? HtmlText.Percent((double)correct / rowTotal) : "n/a";
            svg.Append($"<text x=\"{left + classes * Cell + 8}\" y=\"{top + t * Cell + Cell / 2 + 4}\" font-size=\"11\" fill=\"#333333\">{recall}</text>");
        }

        svg.Append("<g font-size=\"12\" fill=\"#222222\">");
        for (int i = 0; i < classes; i++)
        {
            string name = HtmlText.Escape(classNames[i]);
            svg.Append($"<text x=\"{left - 8}\" y=\"{top + i * Cell + Cell / 2 + 4}\" text-anchor=\"end\">{name}</text>");
            int cx = left + i * Cell + Cell / 2;
            svg.Append($"<text transform=\"translate({cx} {top - 8}) rotate(-45)\" text-anchor=\"start\">{name}</text>");
        }
        svg.Append("</g>");
        svg.Append($"<text x=\"{left + classes * Cell / 2}\" y=\"{height - 10}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\">predicted class</text>");
        svg.Append($"<text x=\"{left + classes * Cell + 8}\" y=\"{top - 8}\" font-size=\"11\" fill=\"#333333\">recall</text>");
        svg.Append($"<text transform=\"translate(14 {top + classes * Cell / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\">true class</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double WorstMistakeShare(int[,] counts)
    {
        double worst = 0;
        int classes = counts.GetLength(0);
        for (int t = 0; t < classes; t++)
        {
            long total = 0;
            for (int p = 0; p < classes; p++) total += counts[t, p];
            if (total == 0) continue;
            for (int p = 0; p < classes; p++)
                if (p != t) worst = Math.Max(worst, (double)counts[t, p] / total);
        }
        return worst;
    }

    /// <summary>White → blue for correct cells, white → red for mistakes; <paramref name="share"/> in [0, 1].</summary>
    private static string Shade(double share, bool diagonal)
    {
        var (r, g, b) = diagonal ? (8, 81, 156) : (203, 24, 29);
        double s = Math.Sqrt(Math.Clamp(share, 0, 1)); // square root: small mistake shares stay visible
        int Mix(int target) => (int)Math.Round(255 + (target - 255) * s);
        return $"#{Mix(r):x2}{Mix(g):x2}{Mix(b):x2}";
    }
}
