using System.Globalization;
using System.Text;
using CnnNative.Core;

namespace CnnNative.Nn.Training;

/// <summary>
/// metrics.csv of a run folder: the header <see cref="Header"/> and one row per finished
/// epoch, numbers in the invariant culture. The whole file is rewritten atomically after each
/// epoch, so a reader (the report tool, a crash, Ctrl+C) never sees half a row.
/// </summary>
public static class MetricsCsv
{
    public const string FileName = "metrics.csv";

    /// <summary>The column names, exactly; the report tool reads this format.</summary>
    public const string Header = "epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds";

    /// <summary>The file's text: header and one line per row, each ending in '\n'.</summary>
    public static string Format(IEnumerable<EpochMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.Loss:F6},{r.TrainAccuracy:F6},{r.TestAccuracy:F6},{r.ImagesPerSecond:F1},{r.Seconds:F3}");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="rows"/>.</summary>
    public static void Write(string path, IEnumerable<EpochMetrics> rows) => AtomicFile.WriteAllText(path, Format(rows));

    /// <summary>Reads a metrics file written by <see cref="Write"/>; a malformed line gets a message naming it.</summary>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != Header)
            throw new InvalidDataException($"{path}: the first line must be '{Header}'.");
        var rows = new List<EpochMetrics>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] cells = lines[i].Split(',');
            if (cells.Length != 6
                || !int.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch)
                || !TryNumber(cells[1], out double loss) || !TryNumber(cells[2], out double train)
                || !TryNumber(cells[3], out double test) || !TryNumber(cells[4], out double ips)
                || !TryNumber(cells[5], out double seconds))
                throw new InvalidDataException($"{path}, line {i + 1}: expected six numbers ({Header}), got '{lines[i]}'.");
            rows.Add(new EpochMetrics(epoch, loss, train, test, ips, seconds));
        }
        return rows;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
