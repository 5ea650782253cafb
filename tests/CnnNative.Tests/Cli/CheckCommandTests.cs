using CnnNative.Cli.Commands.Checks;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Providers.Managed;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Cli;

/// <summary>`cnn check`: the equivalence checks a user runs on their own machine.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void The_double_reference_passes_the_operation_and_contract_checks_against_managed()
    {
        _cli.Factories.Add(new ManagedProviderFactory());
        string json = Path.Combine(Path.GetDirectoryName(_cli.SettingsFile)!, "check.json");
        var r = _cli.Run("check", "--provider", "alpha", "--only", "operation,contract", "--json", json);
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains("Checking ", r.Out);
        Assert.Contains("Gemm 65×96×129 TT", r.Out);
        Assert.Contains("label NaN of 4 classes in the loss gradient", r.Out);
        Assert.Matches(@"\d+ passed, 0 failed", r.Out);
        Assert.Contains("\"failed\": 0", File.ReadAllText(json));
    }

    [Fact]
    public void Checking_a_provider_against_itself_is_a_usage_error()
    {
        var r = _cli.Run("check", "--provider", "alpha", "--against", "alpha");
        Assert.Equal(2, r.Exit);
        Assert.Contains("--provider", r.Err);
    }

    [Fact]
    public void An_unknown_group_is_a_usage_error_naming_the_groups()
    {
        var r = _cli.Run("check", "--provider", "alpha", "--only", "layers");
        Assert.Equal(2, r.Exit);
        Assert.Contains("operation, layer, training, contract", r.Err);
    }

    [Fact]
    public void A_difference_beyond_the_tolerance_fails_with_the_worst_element()
    {
        using var good = new ReferenceProvider();
        using var bad = new ReferenceProvider();
        var c = new EquivalenceCase("operation", "off by one element", CheckTolerance.Kernel,
            p => [new CheckOutput("y", ReferenceEquals(p, bad) ? [1f, 2f, 3.01f] : [1f, 2f, 3f])]);
        var row = Assert.Single(CheckRunner.Run([c], bad, good, _ => { }, CancellationToken.None));
        Assert.False(row.Passed);
        Assert.Contains("worst at [2]", row.Note);

        var same = Assert.Single(CheckRunner.Run([c], good, good, _ => { }, CancellationToken.None));
        Assert.True(same.Passed);
    }

    [Fact]
    public void NaN_on_one_side_only_fails_and_a_throwing_case_is_one_failed_row()
    {
        var c = new EquivalenceCase("operation", "nan", CheckTolerance.Kernel, _ => []);
        Assert.False(CheckRunner.Compare(c, new CheckOutput("y", [1f]), new CheckOutput("y", [float.NaN])).Passed);
        Assert.True(CheckRunner.Compare(c, new CheckOutput("y", [float.NaN]), new CheckOutput("y", [float.NaN])).Passed);
        Assert.False(CheckRunner.Compare(c, CheckOutput.Of("outcome", "ArgumentOutOfRangeException"), CheckOutput.Of("outcome", "no error")).Passed);

        using var p = new ReferenceProvider();
        var throwing = new EquivalenceCase("layer", "throws", CheckTolerance.Layer, _ => throw new InvalidOperationException("kernel failed"));
        var row = Assert.Single(CheckRunner.Run([throwing], p, p, _ => { }, CancellationToken.None));
        Assert.False(row.Passed);
        Assert.Contains("kernel failed", row.Note);
    }

    [Fact]
    public void The_layer_cases_cover_every_built_in_and_registered_type_and_pass_on_one_provider()
    {
        var registry = new LayerRegistry();
        registry.Register("swish", c => new CnnNative.Tests.Nn.Swish(c.Provider, c.Name, c.InputShape));
        var cases = LayerCases.All(registry).ToList();

        foreach (string type in LayerTypes.All.Append("swish"))
            Assert.Contains(cases, c => c.Name.Split(' ', ',')[0] == type);
        Assert.Contains(cases, c => c.Name.StartsWith("residual, projection shortcut", StringComparison.Ordinal));
        using var p = new ReferenceProvider();
        foreach (var row in CheckRunner.Run(cases, p, p, _ => { }, CancellationToken.None))
            Assert.True(row.Passed, $"{row.Case} {row.Output}: {row.Note}");
    }

    [ProviderFact("opencl")]
    public void OpenCl_passes_every_check_against_managed()
    {
        _cli.Factories.Add(new ManagedProviderFactory());
        _cli.Factories.Add(new OpenClProviderFactory());
        var r = _cli.Run("check", "--provider", "opencl");
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains("training ", r.Out);
        Assert.Matches(@"\d+ passed, 0 failed", r.Out);
    }
}
