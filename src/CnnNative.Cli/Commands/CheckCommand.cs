using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CnnNative.Cli.Commands.Checks;
using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn check`: the cross-provider equivalence checks on the user's own machine — kernels on
/// awkward shapes, every layer forward and backward, short training runs' loss curves and the
/// contract's data checks — run on the selected provider and on a baseline (managed, which the
/// project's own tests hold to a double-precision reference), printed as a table. Exits 1 when
/// any output differs by more than its tolerance, so a new driver or device can be trusted (or
/// not) before a long training run.
/// </summary>
internal sealed class CheckCommand : ICliCommand
{
    private static readonly string[] Groups = ["operation", "layer", "training", "contract"];

    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Check the OpenCL provider against the managed one", "cnn check --provider opencl"),
        new("Check only OpenBLAS's layers and training, saving every row as JSON", "cnn check --provider openblas --only layer,training --json check.json"),
    ];

    public Command Build(CliContext context)
    {
        var against = new Option<string>("--against")
        {
            Description = "Baseline provider to compare with.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "managed",
        };
        var only = new Option<string?>("--only")
        {
            Description = $"Run only these groups, comma-separated: {string.Join(", ", Groups)}. Default: all.",
            HelpName = "LIST",
        };
        var json = new Option<string?>("--json")
        {
            Description = "Also write every row to this JSON file (replaced atomically).",
            HelpName = "FILE",
        };
        var command = new Command("check",
            "Check that a provider computes what the baseline computes on this machine: kernels on awkward shapes, every layer forward and backward, short training runs and the contract's checks on data. Prints a table; exits 1 on any mismatch. Choose the provider with --provider (e.g. cnn check --provider opencl).")
        {
            against, only, json,
        };
        command.SetAction(parse => Run(context, parse, parse.GetValue(against)!, parse.GetValue(only), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, string againstName, string? only, string? jsonPath)
    {
        var groups = ParseGroups(only);
        string candidateName = context.GetComputeOptions(parse).Provider;
        againstName = againstName.Trim().ToLowerInvariant();
        if (string.Equals(candidateName, againstName, StringComparison.OrdinalIgnoreCase))
            throw new CliException(
                $"cnn check compares two providers, but both are '{againstName}'. Choose the one to check with --provider (e.g. --provider opencl) or another baseline with --against.",
                ExitCodes.Usage);

        var registry = context.GetRegistry(parse);
        var computeSection = context.GetComputeSection(parse);
        using var candidate = context.CreateProvider(parse);
        using var baseline = registry.Get(againstName).Create(ProviderRegistry.SectionFor(computeSection, againstName));
        var output = context.Out;
        output.WriteLine($"Checking {Describe(candidate)} against {Describe(baseline)}.");
        output.WriteLine($"{"group",-10} {"check",-64} {"output",-24} {"max |a-b|",10} {"of allowed",10}  result");

        var cases = AllCases().Where(c => groups.Contains(c.Group));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = CheckRunner.Run(cases, candidate, baseline, row => WriteRow(output, row), context.CancellationToken);
        int failed = rows.Count(r => !r.Passed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count - failed} passed, {failed} failed ({rows.Count} outputs compared in {clock.Elapsed.TotalSeconds:F1} s)."));
        if (jsonPath is not null) WriteJson(jsonPath, candidate, baseline, rows);
        if (failed == 0) return ExitCodes.Success;
        context.Error.WriteLine($"{candidate.Name} differs from {baseline.Name} in {Plural.Of(failed, "output")}: see the rows marked FAIL.");
        return ExitCodes.Failure;
    }

    internal static IEnumerable<EquivalenceCase> AllCases() =>
        OperationCases.All().Concat(LayerCases.All()).Concat(TrainingCases.All()).Concat(ContractCases.All());

    private static HashSet<string> ParseGroups(string? only)
    {
        if (string.IsNullOrWhiteSpace(only)) return [.. Groups];
        var chosen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Groups.Contains(part, StringComparer.OrdinalIgnoreCase))
                throw new CliException($"--only: '{part}' is not a check group; use {string.Join(", ", Groups)}.", ExitCodes.Usage);
            chosen.Add(part.ToLowerInvariant());
        }
        return chosen;
    }

    private static string Describe(IComputeProvider p) => $"{p.Name} ({p.Info.Device})";

    private static void WriteRow(TextWriter output, CheckRow row)
    {
        string used = double.IsFinite(row.Used) ? string.Create(CultureInfo.InvariantCulture, $"{row.Used * 100:F1}%") : "-";
        string difference = double.IsNaN(row.MaxDifference) ? "-" : row.MaxDifference.ToString("G3", CultureInfo.InvariantCulture);
        output.WriteLine($"{row.Group,-10} {Clip(row.Case, 64),-64} {Clip(row.Output, 24),-24} {difference,10} {used,10}  {(row.Passed ? "ok" : "FAIL")}");
        if (!row.Passed && row.Note is not null) output.WriteLine($"{"",-10} ↳ {row.Note}");
    }

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>Written with Utf8JsonWriter: no reflection, so it works in the trimmed single-file build of the GPU kit.</summary>
    private static void WriteJson(string path, IComputeProvider candidate, IComputeProvider baseline, List<CheckRow> rows)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("provider", candidate.Name);
            w.WriteString("device", candidate.Info.Device);
            w.WriteString("baseline", baseline.Name);
            w.WriteNumber("passed", rows.Count(r => r.Passed));
            w.WriteNumber("failed", rows.Count(r => !r.Passed));
            w.WriteStartArray("rows");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("group", r.Group);
                w.WriteString("check", r.Case);
                w.WriteString("output", r.Output);
                if (double.IsFinite(r.MaxDifference)) w.WriteNumber("maxDifference", r.MaxDifference);
                if (double.IsFinite(r.Used)) w.WriteNumber("usedOfAllowed", r.Used);
                w.WriteString("allowed", r.Allowed);
                w.WriteBoolean("passed", r.Passed);
                if (r.Note is not null) w.WriteString("note", r.Note);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
