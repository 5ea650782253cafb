using System.Text;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using Xunit.Abstractions;

namespace CnnNative.Tests.Fuzz;

/// <summary>
/// At least 300 malformed inputs of six kinds, made from small valid files by truncation, bit
/// flips, header edits and size claims (fixed seeds), each run through the `cnn` app: each must
/// end with a clear one-line error (or, where noted, a documented acceptance), show no .NET
/// internals, leave no file behind, answer within a minute and stay under the memory bounds of
/// <see cref="FuzzRunner"/>. The figures per kind are written to the test output.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class MalformedInputFuzzTests(FuzzFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Idx_files() => Check(IdxInputs.Cases(fixture), minimum: 50);

    [Fact]
    public void SafeTensors_checkpoints() => Check(SafeTensorsInputs.Cases(fixture), minimum: 50);

    [Fact]
    public void Configuration() => Check(ConfigurationInputs.Cases(), minimum: 50);

    [Fact]
    public void Model_files() => Check(ModelFileInputs.Cases(fixture), minimum: 50);

    [Fact]
    public void Images() => Check(ImageInputs.Cases(), minimum: 50);

    [Fact]
    public void Command_line_arguments() => Check(CommandLineInputs.Cases(), minimum: 50);

    private void Check(IEnumerable<FuzzCase> cases, int minimum)
    {
        var outcomes = new List<FuzzOutcome>();
        int index = 0;
        foreach (var fuzzCase in cases)
        {
            if (!OperatingSystem.IsLinux() && fuzzCase.Name.Contains("pipe", StringComparison.Ordinal)) continue; // mkfifo
            outcomes.Add(FuzzRunner.Run(fuzzCase, index++, fixture, NewCli));
        }

        output.WriteLine(Summary(outcomes));
        foreach (var o in outcomes)
            output.WriteLine($"  {o.Case.Name}: exit {o.Exit} {o.Error.Trim().Split('\n')[^1]}");
        Assert.True(outcomes.Count >= minimum, $"only {outcomes.Count} cases");
        var failures = outcomes.Where(o => o.Violation is not null).Select(o => $"{o.Case}: {o.Violation} (exit {o.Exit}: {o.Error.Trim()})").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {outcomes.Count} cases misbehaved:\n" + string.Join("\n", failures));
    }

    private static CliHarness NewCli()
    {
        var cli = new CliHarness();
        cli.Factories.Add(new ManagedProviderFactory());
        // A fixed memory limit (half the RSS bound) instead of the machine's: a model that needs
        // gigabytes is refused on a large machine too, before it could blow the bound.
        cli.Settings("""{ "Compute": { "Provider": "managed", "MemoryLimitGiB": 0.25, "Managed": { "Threads": 2 } } }""");
        return cli;
    }

    /// <summary>"idx: 59 inputs, 51 clear errors, 8 accepted, 0 crashes, 0 hangs, 0 left files, peak +12 MB RSS, 9 MB managed".</summary>
    internal static string Summary(IReadOnlyList<FuzzOutcome> outcomes)
    {
        var sb = new StringBuilder();
        string kind = outcomes.Count > 0 ? outcomes[0].Case.Kind : "?";
        int errors = outcomes.Count(o => !o.Hung && o.Exit is 1 or 2 && o.Violation is null);
        int crashes = outcomes.Count(o => !o.Hung && o.Exit is not (0 or 1 or 2));
        sb.Append($"{kind}: {outcomes.Count} inputs, {errors} clear errors, {outcomes.Count(o => o.Accepted)} accepted, ");
        sb.Append($"{crashes} crashes, {outcomes.Count(o => o.Hung)} hangs, {outcomes.Sum(o => o.LeftBehind.Count)} files left, ");
        sb.Append($"{outcomes.Count(o => o.Violation is not null)} violations; ");
        sb.Append($"max peak-RSS growth {outcomes.Max(o => o.PeakRssGrowth) >> 20} MB (bound {FuzzRunner.RssBound >> 20}), ");
        sb.Append($"max managed allocation {outcomes.Max(o => o.ManagedBytes) >> 20} MB (bound {FuzzRunner.ManagedBound >> 20})");
        return sb.ToString();
    }
}
