using System.Globalization;

namespace CnnNative.Core;

/// <summary>
/// A count with its noun in the right number, for messages and progress lines: "1 epoch",
/// "2 epochs", "1 thread" — never "1 epochs" or "epoch(s)".
/// </summary>
public static class Plural
{
    /// <summary><paramref name="count"/> and <paramref name="singular"/>, with "s" added unless the count is 1.</summary>
    /// <param name="count">How many.</param>
    /// <param name="singular">The noun for one ("epoch").</param>
    public static string Of(long count, string singular) => Of(count, singular, singular + "s");

    /// <summary><paramref name="count"/> and the noun for that number: <paramref name="singular"/> for 1, else <paramref name="plural"/>.</summary>
    /// <param name="count">How many.</param>
    /// <param name="singular">The noun for one ("batch").</param>
    /// <param name="plural">The noun for any other number ("batches").</param>
    public static string Of(long count, string singular, string plural)
    {
        ArgumentNullException.ThrowIfNull(singular);
        ArgumentNullException.ThrowIfNull(plural);
        return count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural);
    }
}
