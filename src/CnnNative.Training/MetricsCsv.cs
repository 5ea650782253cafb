using System.Globalization;
using System.Text;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// metrics.csv of a run folder: the header <see cref="Header"/> and one row per finished
/// epoch, comma-separated, numbers in the invariant culture (dot decimal), accuracies as
/// fractions:
/// <code>
/// epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds,validation_loss,validation_accuracy,learning_rate,test_loss
/// 1,0.512300,0.812300,0.801100,2150.3,29.100,0.498100,0.815000,0.001,0.530200
/// </code>
/// The validation columns are <c>NaN</c> for a run without a validation split; files written
/// before the later columns existed (six columns, or nine without test_loss) still read, with NaN there.
/// The trainer rewrites the whole file atomically after each epoch, so a reader (the report
/// tool, a crash, Ctrl+C) never sees half a row. The reader finds columns by header name (any
/// order, any case; extra columns are ignored, a missing one is an error), accepts a BOM,
/// CRLF line ends and blank lines, and reads a diverged run's <c>NaN</c>.
/// </summary>
public static class MetricsCsv
{
    /// <summary>The file's name in a run folder: "metrics.csv".</summary>
    public const string FileName = "metrics.csv";

    /// <summary>The column names, exactly, as the writer emits them.</summary>
    public const string Header = "epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds,validation_loss,validation_accuracy,learning_rate,test_loss";

    /// <summary>The columns of <see cref="Header"/>, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = Header.Split(',');

    /// <summary>The columns every file has; the later ones are optional on reading.</summary>
    private const int RequiredColumns = 6;

    /// <summary>The file's text: header and one line per row, each ending in '\n'.</summary>
    public static string Format(IEnumerable<EpochMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.Loss:F6},{r.TrainAccuracy:F6},{r.TestAccuracy:F6},{r.ImagesPerSecond:F1},{r.Seconds:F3},{r.ValidationLoss:F6},{r.ValidationAccuracy:F6},{r.LearningRate:G9},{r.TestLoss:F6}");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="rows"/>.</summary>
    public static void Write(string path, IEnumerable<EpochMetrics> rows) => AtomicFile.WriteAllText(path, Format(rows));

    /// <summary>Reads a metrics file; a malformed one throws <see cref="MetricsFormatException"/> naming the file and line.</summary>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a metrics file; <paramref name="source"/> names it in error messages.</summary>
    public static IReadOnlyList<EpochMetrics> Parse(string text, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int headerLine = 0;
        while (headerLine < lines.Length && lines[headerLine].Trim().TrimStart('\uFEFF').Length == 0) headerLine++;
        if (headerLine == lines.Length)
            throw new MetricsFormatException($"{source} is empty; it needs the header line {Header}.");

        string[] header = lines[headerLine].Trim().TrimStart('\uFEFF').Split(',');
        var position = new int[Columns.Count];
        for (int c = 0; c < Columns.Count; c++)
        {
            position[c] = -1;
            for (int h = 0; h < header.Length && position[c] < 0; h++)
                if (string.Equals(header[h].Trim(), Columns[c], StringComparison.OrdinalIgnoreCase)) position[c] = h;
            if (position[c] < 0 && c < RequiredColumns)
                throw new MetricsFormatException($"{source} has no '{Columns[c]}' column; its header must name {string.Join(',', Columns.Take(RequiredColumns))}.");
        }

        var rows = new List<EpochMetrics>();
        var values = new double[Columns.Count];
        for (int i = headerLine + 1; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new MetricsFormatException($"{source} line {i + 1} has {fields.Length} fields but the header has {header.Length}.");
            for (int c = 0; c < Columns.Count; c++)
            {
                values[c] = double.NaN;
                if (position[c] < 0) continue;
                string raw = fields[position[c]].Trim();
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]))
                    throw new MetricsFormatException($"{source} line {i + 1}: {Columns[c]} '{raw}' is not a number.");
            }
            double epoch = values[0];
            if (epoch != Math.Floor(epoch) || epoch < 0 || epoch > int.MaxValue)
                throw new MetricsFormatException($"{source} line {i + 1}: epoch '{fields[position[0]].Trim()}' is not a whole number.");
            rows.Add(new EpochMetrics((int)epoch, values[1], values[2], values[3], values[4], values[5])
            {
                ValidationLoss = values[6],
                ValidationAccuracy = values[7],
                LearningRate = values[8],
                TestLoss = values[9],
            });
        }
        return rows;
    }
}
