using System.Globalization;
using System.Text;

namespace CnnNative.Cli.Report;

/// <summary>
/// Escaping and number formatting for the report. Everything user-supplied (titles, settings,
/// class names) goes through <see cref="Escape"/>, which is safe both in element text and in
/// double-quoted attributes, and keeps the document well-formed XML as well as HTML.
/// </summary>
internal static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var builder = new StringBuilder(text.Length + 16);
        foreach (char ch in text)
        {
            switch (ch)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default:
                    // Control characters other than tab/newline are not allowed in XML 1.0; drop them.
                    if (ch >= ' ' || ch is '\t' or '\n' or '\r') builder.Append(ch);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Invariant number for SVG coordinates: at most two decimals, no exponent.</summary>
    public static string Coordinate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => double.IsFinite(fraction)
        ? (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%"
        : "n/a";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
