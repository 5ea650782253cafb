using System.Text.Json;
using CnnNative.Cli.Commands;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Bench;

/// <summary>
/// `cnn bench` end to end on a tiny MNIST-format folder and the reference provider (fast):
/// the progress lines, the table, the JSON and Markdown reports, skipped providers and bad
/// options. Only the shape of the output is checked — never a timing.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly TempFolder _data = new("bench-data");
    private readonly TempFolder _out = new("bench-out");

    public BenchCommandTests() => IdxFiles.WriteFolder(_data.Path, train: 24, test: 12);

    public void Dispose()
    {
        _cli.Dispose();
        _data.Dispose();
        _out.Dispose();
    }

    /// <summary>Runs `cnn bench` with small, fast settings; <paramref name="options"/> are "--name value" pairs that replace or add to them.</summary>
    private CliResult Bench(params string[] options)
    {
        var settings = new Dictionary<string, string>
        {
            ["--models"] = "two-layer-net", ["--data"] = _data.Path, ["--batch-size"] = "4", ["--windows"] = "3",
            ["--seconds"] = "0.01", ["--warmup"] = "0", ["--peak-seconds"] = "0.01", ["--output"] = _out.Path,
        };
        for (int i = 0; i + 1 < options.Length; i += 2) settings[options[i]] = options[i + 1];
        return _cli.Run(["bench", .. settings.SelectMany(kv => new[] { kv.Key, kv.Value })]);
    }

    [Fact]
    public void Measures_each_model_on_the_named_provider_and_writes_json_and_markdown()
    {
        var r = Bench("--providers", "alpha");

        Assert.True(r.Exit == 0, r.Err);
        Assert.True(r.Out.Contains("two-layer-net on alpha: training window 3/3:", StringComparison.Ordinal), r.Out + r.Err);
        Assert.Contains("two-layer-net on alpha: inference window 1/3:", r.Out);
        Assert.Contains("throughput.json", r.Out);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out.Path, BenchReportWriter.JsonFile)));
        var result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("two-layer-net", result.GetProperty("model").GetString());
        Assert.Equal("alpha", result.GetProperty("provider").GetString());
        Assert.Equal(4, result.GetProperty("batchSize").GetInt32());
        var training = result.GetProperty("training");
        Assert.Equal(3, training.GetProperty("windows").GetArrayLength());
        Assert.True(training.GetProperty("median").GetDouble() > 0);
        Assert.True(training.GetProperty("images").GetInt64() >= 3 * 4, "every window runs at least one whole batch");
        Assert.True(result.GetProperty("inference").GetProperty("median").GetDouble() > 0);
        var flops = result.GetProperty("flopsPerImage");
        Assert.True(flops.GetProperty("training").GetDouble() > 2 * flops.GetProperty("inference").GetDouble(),
            "training counts the forward and weight-gradient products, and the input gradient past the first layer");
        Assert.True(result.GetProperty("trainingGflops").GetDouble() > 0);
        var peak = json.RootElement.GetProperty("peak");
        Assert.True(peak.GetProperty("oneCore").GetDouble() > 0 && peak.GetProperty("allCores").GetDouble() > 0, peak.ToString());
        Assert.Contains("measured FMA peak", r.Out);
        var machine = json.RootElement.GetProperty("machine");
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("logicalCores").GetInt32());
        Assert.StartsWith("cnn bench", json.RootElement.GetProperty("command").GetString());

        string md = File.ReadAllText(Path.Combine(_out.Path, BenchReportWriter.MarkdownFile));
        Assert.Contains("| two-layer-net | alpha |", md);
        Assert.Contains("logical cores", md);
    }

    [Fact]
    public void Without_a_list_every_provider_that_starts_is_measured_and_the_others_are_reported()
    {
        var r = Bench();

        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("skipping broken:", r.Out);
        Assert.Contains("skipping crashy:", r.Out);
        string md = File.ReadAllText(Path.Combine(_out.Path, BenchReportWriter.MarkdownFile));
        Assert.Contains("| two-layer-net | alpha |", md);
        Assert.Contains("not measured: broken:", md);
        Assert.Contains("driver exploded", md);
    }

    [Fact]
    public void A_named_provider_that_cannot_start_fails_with_its_reason()
    {
        var r = Bench("--providers", "broken");

        Assert.NotEqual(0, r.Exit);
        Assert.Contains("libbroken.so.1", r.Err);
        Assert.False(File.Exists(Path.Combine(_out.Path, BenchReportWriter.JsonFile)));
    }

    [Theory]
    [InlineData("--windows", "0", "--windows must be between 1 and 1000")]
    [InlineData("--seconds", "0", "--seconds must be more than 0")]
    [InlineData("--batch-size", "0", "--batch-size must be between 1 and 4096")]
    public void Out_of_range_options_are_usage_errors(string option, string value, string message)
    {
        var r = Bench("--providers", "alpha", option, value);

        Assert.True(r.Exit == 2 && r.Err.Contains(message, StringComparison.Ordinal), $"exit {r.Exit}: {r.Err}");
    }

    [Fact]
    public void An_unknown_model_names_the_presets()
    {
        var r = _cli.Run("bench", "--models", "resnet-9000", "--providers", "alpha", "--data", _data.Path, "--output", _out.Path);

        Assert.NotEqual(0, r.Exit);
        Assert.Contains("simple-conv", r.Err);
    }

    [Fact]
    public void The_median_is_robust_to_one_disturbed_window()
    {
        Assert.Equal(100, BenchMeter.Median([100, 5, 101]));
        Assert.Equal(100.5, BenchMeter.Median([100, 5, 101, 1000]));
    }
}
