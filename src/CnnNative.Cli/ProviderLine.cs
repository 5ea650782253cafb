using CnnNative.Core;

namespace CnnNative.Cli;

/// <summary>
/// The "provider: …" line commands print before they run: the name, device and threads, then
/// as many of the provider's details as fit in <see cref="Width"/> columns, so it never wraps on
/// a terminal; with --verbose every detail follows, one per line.
/// </summary>
internal static class ProviderLine
{
    /// <summary>The widest the line may be, prefix included.</summary>
    public const int Width = 100;

    private const string Prefix = "provider: ";

    /// <summary>The note that ends a line with details left out: "; +2 with --verbose".</summary>
    private static string More(int hidden) => $"; +{hidden} with --verbose";

    /// <summary>The line (or, with <paramref name="verbose"/>, the lines) describing <paramref name="info"/>.</summary>
    public static string Format(ProviderInfo info, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(info);
        string head = $"{Prefix}{info.Name} on {info.Device}, {Plural.Of(info.Threads, "thread")}";
        if (verbose)
            return string.Concat(head, string.Concat(info.Details.Select(kv => $"{Environment.NewLine}  {kv.Key}: {kv.Value}")));
        if (head.Length > Width) return head[..(Width - 1)] + "…";
        var line = new System.Text.StringBuilder(head);
        int shown = 0;
        foreach (var (key, value) in info.Details)
        {
            string part = $"; {key}: {value}";
            bool last = shown == info.Details.Count - 1;
            // Room for this detail, and for the note on the rest unless it is the last one.
            if (line.Length + part.Length + (last ? 0 : More(info.Details.Count - shown - 1).Length) > Width) break;
            line.Append(part);
            shown++;
        }
        if (shown < info.Details.Count) line.Append(More(info.Details.Count - shown));
        return line.ToString();
    }
}
