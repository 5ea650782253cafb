using System.Globalization;
using System.IO.Compression;

namespace CnnNative.Data;

/// <summary>
/// Reads the optdigits data in scikit-learn's form (<c>digits.csv.gz</c>): one row per image,
/// 64 pixel counts 0–16 (8×8, row by row) and then the class label 0–9, comma-separated, no
/// header. Pixels become value / 16 (seed 003's normalisation to [0, 1]). Any malformed row is
/// reported with its line number, as the IDX reader reports a bad header.
/// </summary>
internal static class DigitsCsv
{
    /// <summary>Side of an image: 8×8 pixels.</summary>
    public const int Side = 8;

    /// <summary>Largest pixel value: each pixel counts the set bits of a 4×4 block.</summary>
    public const int MaxPixel = 16;

    /// <summary>Digits 0–9.</summary>
    public const int Classes = 10;

    // The scikit-learn file has 1,797 rows; a file claiming far more is not this data set, and
    // reading stops there instead of growing without bound.
    private const int MaxRows = 100_000;

    /// <summary>Parses a gzip-compressed (recognised by its magic bytes) or plain CSV file's bytes.</summary>
    /// <param name="bytes">The file's contents.</param>
    /// <param name="path">Where they came from, for error messages.</param>
    public static (float[] Images, float[] Labels) Read(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Stream raw = new MemoryStream(bytes, writable: false);
        using var source = bytes is [0x1f, 0x8b, ..] ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(source);
        var images = new List<float>(1797 * Side * Side);
        var labels = new List<float>(1797);
        int line = 0;
        try
        {
            for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
            {
                line++;
                if (text.Length == 0) continue;
                if (labels.Count == MaxRows)
                    throw Bad(path, $"has more than {MaxRows} rows; the digits data set has 1,797.");
                ParseRow(text, line, path, images, labels);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataFileException(path, $"is not valid gzip data ({e.Message.TrimEnd('.')}).",
                "Use scikit-learn's digits.csv.gz unchanged, or a plain CSV of 64 pixels and a label per row.", e);
        }
        if (labels.Count == 0)
            throw Bad(path, "holds no rows.");
        return (images.ToArray(), labels.ToArray());
    }

    private static void ParseRow(string text, int line, string path, List<float> images, List<float> labels)
    {
        var fields = text.AsSpan();
        int column = 0;
        foreach (var range in fields.Split(','))
        {
            column++;
            var field = fields[range].Trim();
            if (column > Side * Side + 1)
                throw Bad(path, $"line {line} has more than {Side * Side + 1} values (64 pixels and a label).");
            if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                && !(double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && TryInt(d, out value)))
                throw Bad(path, $"line {line}, value {column} ('{Clip(field)}') is not a whole number.");
            if (column <= Side * Side)
            {
                if (value is < 0 or > MaxPixel)
                    throw Bad(path, $"line {line}, pixel {column} is {value}; digits pixels are 0–{MaxPixel}.");
                images.Add(value / (float)MaxPixel);
            }
            else
            {
                if (value is < 0 or >= Classes)
                    throw Bad(path, $"line {line}: label {value} is not a digit 0–9.");
                labels.Add(value);
            }
        }
        if (column != Side * Side + 1)
            throw Bad(path, $"line {line} has {column} values; each row needs {Side * Side} pixels and a label.");
    }

    private static bool TryInt(double d, out int value)
    {
        value = d is >= int.MinValue and <= int.MaxValue ? (int)d : 0;
        return d is >= int.MinValue and <= int.MaxValue;
    }

    private static string Clip(ReadOnlySpan<char> s) => s.Length <= 20 ? s.ToString() : s[..20].ToString() + "…";

    private static InvalidDataFileException Bad(string path, string problem) =>
        new(path, problem, "Use scikit-learn's digits.csv.gz (64 pixel counts 0–16 and a label 0–9 per row).");
}
