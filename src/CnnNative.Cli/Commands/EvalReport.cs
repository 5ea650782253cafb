using System.Globalization;
using System.Text;
using CnnNative.Nn.Training;
using Spectre.Console;

namespace CnnNative.Cli.Commands;

/// <summary>Prints an <see cref="EvaluationResult"/>: accuracy line, per-class accuracy and confusion matrix, as text or Spectre tables.</summary>
internal static class EvalReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The first line of every report, also what scripts grep for.</summary>
    public static string AccuracyLine(EvaluationResult r) =>
        string.Create(Inv, $"test accuracy: {r.Accuracy:F4} ({r.Correct} of {r.Samples})");

    public static void WritePlain(TextWriter output, EvaluationResult r)
    {
        output.WriteLine(AccuracyLine(r));
        output.WriteLine();
        int nameWidth = 5;
        foreach (string name in r.ClassNames) nameWidth = Math.Max(nameWidth, name.Length);

        output.WriteLine("per-class accuracy:");
        for (int c = 0; c < r.Classes; c++)
            output.WriteLine(string.Create(Inv,
                $"  {c,2} {r.ClassNames[c].PadRight(nameWidth)}  {FormatAccuracy(r.ClassAccuracy(c))}  ({r.Confusion[c, c]} of {r.SamplesOf(c)})"));
        output.WriteLine();

        output.WriteLine("confusion matrix (rows: true class, columns: predicted class):");
        int cell = 5;
        foreach (long n in r.Confusion) cell = Math.Max(cell, n.ToString(Inv).Length + 1);
        var line = new StringBuilder();
        line.Append(' ', 4 + nameWidth);
        for (int p = 0; p < r.Classes; p++) line.Append(p.ToString(Inv).PadLeft(cell));
        output.WriteLine(line.ToString());
        for (int t = 0; t < r.Classes; t++)
        {
            line.Clear().Append(Inv, $"  {t,2}").Append(' ').Append(r.ClassNames[t].PadRight(nameWidth));
            for (int p = 0; p < r.Classes; p++) line.Append(r.Confusion[t, p].ToString(Inv).PadLeft(cell));
            output.WriteLine(line.ToString());
        }
    }

    public static void WriteTables(IAnsiConsole console, EvaluationResult r)
    {
        console.MarkupLine($"[bold]{Markup.Escape(AccuracyLine(r))}[/]");

        var perClass = new Table().Border(TableBorder.Rounded).Title("per-class accuracy")
            .AddColumn(new TableColumn("#").RightAligned()).AddColumn("class")
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("correct").RightAligned());
        for (int c = 0; c < r.Classes; c++)
            perClass.AddRow(c.ToString(Inv), Markup.Escape(r.ClassNames[c]), FormatAccuracy(r.ClassAccuracy(c)),
                string.Create(Inv, $"{r.Confusion[c, c]} / {r.SamplesOf(c)}"));
        console.Write(perClass);

        var confusion = new Table().Border(TableBorder.Rounded).Title("confusion matrix (rows: true, columns: predicted)")
            .AddColumn("true \\ predicted");
        for (int p = 0; p < r.Classes; p++) confusion.AddColumn(new TableColumn(p.ToString(Inv)).RightAligned());
        for (int t = 0; t < r.Classes; t++)
        {
            var cells = new string[r.Classes + 1];
            cells[0] = Markup.Escape($"{t} {r.ClassNames[t]}");
            for (int p = 0; p < r.Classes; p++)
            {
                string n = r.Confusion[t, p].ToString(Inv);
                cells[p + 1] = p == t ? $"[green]{n}[/]" : r.Confusion[t, p] == 0 ? $"[grey]{n}[/]" : n;
            }
            confusion.AddRow(cells);
        }
        console.Write(confusion);
    }

    private static string FormatAccuracy(double accuracy) =>
        double.IsNaN(accuracy) ? "   n/a" : accuracy.ToString("F4", Inv);
}
