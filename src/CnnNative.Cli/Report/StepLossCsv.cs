using System.Globalization;
using System.Text;
using CnnNative.Core;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// steps.csv of a run folder, the loss curve between the epochs of metrics.csv:
/// <code>
/// step,loss
/// 30,1.734512
/// 60,0.912004
/// </code>
/// Each row is a <see cref="StepLoss"/>: the mean training loss of the mini-batches since the
/// previous row. `cnn train` writes a row each time the trainer reports its running loss
/// (about every 5 % of an epoch, so a step needs no extra transfer from the provider), and
/// replaces the file atomically after every epoch and when the run ends.
/// </summary>
internal static class StepLossCsv
{
    public const string FileName = "steps.csv";

    public const string Header = "step,loss";

    public static string Format(IEnumerable<StepLoss> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(Header).Append('\n');
        foreach (StepLoss row in rows)
            text.Append(CultureInfo.InvariantCulture, $"{row.Step},{row.Loss:F6}").Append('\n');
        return text.ToString();
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="rows"/>.</summary>
    public static void Write(string path, IEnumerable<StepLoss> rows) => AtomicFile.WriteAllText(path, Format(rows));

    /// <summary>Reads a steps file; a malformed one throws <see cref="MetricsFormatException"/> naming the file and line.</summary>
    public static IReadOnlyList<StepLoss> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<StepLoss> Parse(string text, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int first = 0;
        while (first < lines.Length && lines[first].Trim().TrimStart('\uFEFF').Length == 0) first++;
        if (first == lines.Length || !string.Equals(lines[first].Trim().TrimStart('\uFEFF'), Header, StringComparison.OrdinalIgnoreCase))
            throw new MetricsFormatException($"{source}: the first line must be '{Header}'.");

        var rows = new List<StepLoss>();
        long previous = 0;
        for (int i = first + 1; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != 2
                || !long.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long step)
                || !double.TryParse(fields[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double loss))
                throw new MetricsFormatException($"{source} line {i + 1}: expected a whole step number and a loss ({Header}), got '{line}'.");
            if (step <= previous)
                throw new MetricsFormatException($"{source} line {i + 1}: step {step} does not follow step {previous}; steps must increase.");
            previous = step;
            rows.Add(new StepLoss(step, loss));
        }
        return rows;
    }
}
