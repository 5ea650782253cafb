using System.Text;

namespace CnnNative.Cli.Report;

/// <summary>One line of a chart; points with a non-finite coordinate leave a gap.</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<(double X, double Y)> Points)
{
    public double StrokeWidth { get; init; } = 2;

    public double Opacity { get; init; } = 1;

    public bool Markers { get; init; }
}

/// <summary>
/// An inline SVG line chart with axes, nice ticks, grid lines, axis labels and a legend. <c>wholeX</c>
/// keeps x ticks on whole numbers (epochs); without <c>legend</c> the page names the lines itself
/// (the compare page's table, whose colour swatches match).
/// </summary>
internal static class SvgLineChart
{
    private const int Width = 640, Height = 320;
    private const int Left = 64, Right = 16, Top = 36, Bottom = 48;

    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series,
        double? yMin = null, double? yMax = null, bool wholeX = false, bool legend = true)
    {
        var (dataXMin, dataXMax, dataYMin, dataYMax) = Extent(series);
        var x = new AxisScale(dataXMin, dataXMax, Left, Width - Right, wholeSteps: wholeX);
        var y = new AxisScale(yMin ?? dataYMin, yMax ?? dataYMax, Height - Bottom, Top);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{HtmlText.Escape(title)}\">");
        svg.Append($"<title>{HtmlText.Escape(title)}</title>");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        Grid(svg, x, y);
        foreach (ChartSeries line in series) Line(svg, line, x, y);
        Axes(svg, x, y, xLabel, yLabel);
        if (legend) Legend(svg, series);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static (double, double, double, double) Extent(IReadOnlyList<ChartSeries> series)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (ChartSeries line in series)
            foreach (var (px, py) in line.Points)
            {
                if (!double.IsFinite(px) || !double.IsFinite(py)) continue;
                xMin = Math.Min(xMin, px); xMax = Math.Max(xMax, px);
                yMin = Math.Min(yMin, py); yMax = Math.Max(yMax, py);
            }
        return double.IsFinite(xMin) ? (xMin, xMax, yMin, yMax) : (0, 1, 0, 1);
    }

    private static void Grid(StringBuilder svg, AxisScale x, AxisScale y)
    {
        svg.Append("<g stroke=\"#e4e4e4\" stroke-width=\"1\">");
        foreach (double t in y.Ticks())
        {
            string py = HtmlText.Coordinate(y.ToPixel(t));
            svg.Append($"<line x1=\"{Left}\" y1=\"{py}\" x2=\"{Width - Right}\" y2=\"{py}\"/>");
        }
        foreach (double t in x.Ticks())
        {
            string px = HtmlText.Coordinate(x.ToPixel(t));
            svg.Append($"<line x1=\"{px}\" y1=\"{Top}\" x2=\"{px}\" y2=\"{Height - Bottom}\"/>");
        }
        svg.Append("</g>");
    }

    private static void Line(StringBuilder svg, ChartSeries line, AxisScale x, AxisScale y)
    {
        var path = new StringBuilder();
        bool penDown = false;
        foreach (var (px, py) in line.Points)
        {
            if (!double.IsFinite(px) || !double.IsFinite(py) || py < y.Min || py > y.Max)
            {
                penDown = false; // a diverged (NaN) or off-scale value breaks the line instead of bending it
                continue;
            }
            path.Append(penDown ? 'L' : 'M').Append(HtmlText.Coordinate(x.ToPixel(px))).Append(',')
                .Append(HtmlText.Coordinate(y.ToPixel(py))).Append(' ');
            penDown = true;
        }
        string opacity = HtmlText.Coordinate(line.Opacity);
        svg.Append($"<g class=\"series\" data-name=\"{HtmlText.Escape(line.Name)}\">");
        if (path.Length > 0)
            svg.Append($"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"{HtmlText.Coordinate(line.StrokeWidth)}\" stroke-opacity=\"{opacity}\" stroke-linejoin=\"round\"/>");
        if (line.Markers)
            foreach (var (px, py) in line.Points)
                if (double.IsFinite(px) && double.IsFinite(py) && py >= y.Min && py <= y.Max)
                    svg.Append($"<circle cx=\"{HtmlText.Coordinate(x.ToPixel(px))}\" cy=\"{HtmlText.Coordinate(y.ToPixel(py))}\" r=\"3\" fill=\"{line.Color}\"><title>{HtmlText.Escape(line.Name)}: {HtmlText.Number(py, "0.####")} at {HtmlText.Number(px, "0.##")}</title></circle>");
        svg.Append("</g>");
    }

    private static void Axes(StringBuilder svg, AxisScale x, AxisScale y, string xLabel, string yLabel)
    {
        int bottom = Height - Bottom;
        svg.Append($"<g stroke=\"#444444\" stroke-width=\"1\"><line x1=\"{Left}\" y1=\"{bottom}\" x2=\"{Width - Right}\" y2=\"{bottom}\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{bottom}\"/></g>");
        svg.Append("<g font-size=\"11\" fill=\"#333333\">");
        foreach (double t in x.Ticks())
            svg.Append($"<text x=\"{HtmlText.Coordinate(x.ToPixel(t))}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{x.Label(t)}</text>");
        foreach (double t in y.Ticks())
            svg.Append($"<text x=\"{Left - 6}\" y=\"{HtmlText.Coordinate(y.ToPixel(t) + 4)}\" text-anchor=\"end\">{y.Label(t)}</text>");
        svg.Append("</g>");
        svg.Append($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\">{HtmlText.Escape(xLabel)}</text>");
        svg.Append($"<text transform=\"translate(16 {(Top + bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333333\">{HtmlText.Escape(yLabel)}</text>");
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<ChartSeries> series)
    {
        double position = Left;
        svg.Append("<g font-size=\"12\" fill=\"#333333\">");
        foreach (ChartSeries line in series)
        {
            svg.Append($"<rect x=\"{HtmlText.Coordinate(position)}\" y=\"12\" width=\"14\" height=\"4\" fill=\"{line.Color}\" fill-opacity=\"{HtmlText.Coordinate(Math.Max(line.Opacity, 0.4))}\"/>");
            svg.Append($"<text x=\"{HtmlText.Coordinate(position + 20)}\" y=\"18\">{HtmlText.Escape(line.Name)}</text>");
            position += 20 + 7.5 * line.Name.Length + 24;
        }
        svg.Append("</g>");
    }
}
