using CnnNative.Core;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// One compared output: the largest difference, and how much of the allowed difference it used
/// (<see cref="Used"/> ≤ 1 passes). A case that throws on either provider is one failed row.
/// </summary>
internal sealed record CheckRow(string Group, string Case, string Output, double MaxDifference, double Used, string Allowed, string? Note)
{
    public bool Passed => Used <= 1;
}

/// <summary>Runs every case on the candidate and on the baseline and compares them output by output.</summary>
internal static class CheckRunner
{
    public static List<CheckRow> Run(IEnumerable<EquivalenceCase> cases, IComputeProvider candidate, IComputeProvider baseline,
        Action<CheckRow> onRow, CancellationToken cancellation)
    {
        var rows = new List<CheckRow>();
        foreach (var c in cases)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var row in RunOne(c, candidate, baseline))
            {
                rows.Add(row);
                onRow(row);
            }
        }
        return rows;
    }

    private static IEnumerable<CheckRow> RunOne(EquivalenceCase c, IComputeProvider candidate, IComputeProvider baseline)
    {
        IReadOnlyList<CheckOutput> expected, actual;
        try { expected = c.Run(baseline); }
        catch (Exception e) { return [Failed(c, $"{baseline.Name} (the baseline) threw {e.GetType().Name}: {e.Message}")]; }
        try { actual = c.Run(candidate); }
        catch (Exception e) { return [Failed(c, $"{candidate.Name} threw {e.GetType().Name}: {e.Message}")]; }
        if (actual.Count != expected.Count) return [Failed(c, $"{actual.Count} outputs instead of {expected.Count}")];
        var rows = new List<CheckRow>(expected.Count);
        for (int i = 0; i < expected.Count; i++) rows.Add(Compare(c, expected[i], actual[i]));
        return rows;
    }

    private static CheckRow Failed(EquivalenceCase c, string why) =>
        new(c.Group, c.Name, "-", double.NaN, double.PositiveInfinity, c.Tolerance.ToString(), why.ReplaceLineEndings(" "));

    /// <summary>Compares one output; NaN matches NaN (both providers refused the same way), a NaN on one side only fails.</summary>
    public static CheckRow Compare(EquivalenceCase c, CheckOutput expected, CheckOutput actual)
    {
        if (expected.Outcome is not null || actual.Outcome is not null)
        {
            bool same = string.Equals(expected.Outcome, actual.Outcome, StringComparison.Ordinal);
            return new(c.Group, c.Name, expected.Name, same ? 0 : double.NaN, same ? 0 : double.PositiveInfinity, "the same outcome",
                same ? expected.Outcome : $"{actual.Outcome} (baseline: {expected.Outcome})");
        }
        float[] a = actual.Values, b = expected.Values;
        if (a.Length != b.Length)
            return new(c.Group, c.Name, expected.Name, double.NaN, double.PositiveInfinity, c.Tolerance.ToString(), $"{a.Length} values instead of {b.Length}");

        var tolerance = c.Tolerance;
        double scale = 1;
        if (!tolerance.PerElement)
            foreach (float v in b) if (float.IsFinite(v)) scale = Math.Max(scale, Math.Abs(v));
        double maxDifference = 0, used = 0;
        int worst = -1;
        for (int i = 0; i < b.Length; i++)
        {
            if (float.IsNaN(a[i]) && float.IsNaN(b[i])) continue;
            double difference = Math.Abs((double)a[i] - b[i]);
            if (double.IsNaN(difference) || double.IsInfinity(difference)) difference = double.PositiveInfinity;
            double allowed = tolerance.PerElement ? tolerance.Absolute + tolerance.Relative * Math.Abs(b[i]) : tolerance.Relative * scale;
            double share = difference / allowed;
            if (share > used) { used = share; worst = i; }
            maxDifference = Math.Max(maxDifference, difference);
        }
        string? note = used > 1 && worst >= 0 ? $"worst at [{worst}]: {a[worst]} vs {b[worst]}" : null;
        return new(c.Group, c.Name, expected.Name, maxDifference, used, tolerance.ToString(), note);
    }
}
