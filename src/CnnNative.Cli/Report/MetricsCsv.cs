using System.Globalization;
using System.Text;

namespace CnnNative.Cli.Report;

/// <summary>A metrics.csv that cannot be read; the message names the file, the line and the problem.</summary>
public sealed class MetricsFormatException(string message) : FormatException(message);

/// <summary>
/// The run folder's <c>metrics.csv</c>: a header line, then one line per finished epoch,
/// comma-separated, numbers in invariant culture (dot decimal), accuracies as fractions:
/// <code>
/// epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds
/// 1,0.5123,0.8123,0.8011,2150.3,29.1
/// </code>
/// <c>seconds</c> is the wall-clock time of that epoch. The reader finds columns by header
/// name, so extra columns (added later) are ignored; missing ones are an error.
/// </summary>
public static class MetricsCsv
{
    public const string FileName = "metrics.csv";

    public static IReadOnlyList<string> Columns { get; } =
        ["epoch", "loss", "train_accuracy", "test_accuracy", "images_per_second", "seconds"];

    public static IReadOnlyList<EpochMetrics> Read(string path) => Parse(File.ReadAllText(path), path);

    public static IReadOnlyList<EpochMetrics> Parse(string text, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        int headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerLine < 0)
            throw new MetricsFormatException($"{source} is empty; it needs the header line {string.Join(",", Columns)}.");

        string[] header = lines[headerLine].Trim().TrimStart('\uFEFF').Split(',');
        var position = new int[Columns.Count];
        for (int c = 0; c < Columns.Count; c++)
        {
            position[c] = Array.FindIndex(header, h => string.Equals(h.Trim(), Columns[c], StringComparison.OrdinalIgnoreCase));
            if (position[c] < 0)
                throw new MetricsFormatException($"{source} has no '{Columns[c]}' column; its header must name {string.Join(",", Columns)}.");
        }

        var rows = new List<EpochMetrics>();
        for (int i = headerLine + 1; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new MetricsFormatException($"{source} line {i + 1} has {fields.Length} fields but the header has {header.Length}.");
            double Field(int column)
            {
                string raw = fields[position[column]].Trim();
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new MetricsFormatException($"{source} line {i + 1}: {Columns[column]} '{raw}' is not a number.");
                return value;
            }
            double epoch = Field(0);
            if (epoch != Math.Floor(epoch) || epoch < 0 || epoch > int.MaxValue)
                throw new MetricsFormatException($"{source} line {i + 1}: epoch '{fields[position[0]].Trim()}' is not a whole number.");
            rows.Add(new EpochMetrics((int)epoch, Field(1), Field(2), Field(3), Field(4), Field(5)));
        }
        return rows;
    }

    /// <summary>The file's text for these rows: header plus one line each, numbers round-trippable.</summary>
    public static string Format(IEnumerable<EpochMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append(string.Join(",", Columns)).Append('\n');
        foreach (EpochMetrics row in rows)
            text.Append(CultureInfo.InvariantCulture, $"{row.Epoch},{row.Loss:R},{row.TrainAccuracy:R},{row.TestAccuracy:R},{row.ImagesPerSecond:R},{row.Seconds:R}\n");
        return text.ToString();
    }
}
