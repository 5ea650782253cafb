using CnnNative.Cli;
using CnnNative.Cli.Commands;
using CnnNative.Core;

namespace CnnNative.Tests.Cli;

/// <summary>Counts in words, the provider line and the progress bar's labels.</summary>
public sealed class CliWordingTests
{
    [Theory]
    [InlineData(0, "0 epochs")]
    [InlineData(1, "1 epoch")]
    [InlineData(2, "2 epochs")]
    public void A_count_takes_the_noun_in_its_number(long count, string expected) => Assert.Equal(expected, Plural.Of(count, "epoch"));

    [Fact]
    public void Irregular_plurals_are_given_whole()
    {
        Assert.Equal("1 batch", Plural.Of(1, "batch", "batches"));
        Assert.Equal("13 batches", Plural.Of(13, "batch", "batches"));
    }

    [Fact]
    public void The_provider_line_fits_100_columns_and_verbose_shows_every_detail()
    {
        var details = new Dictionary<string, string>
        {
            ["SIMD"] = "Vector512 (AVX-512, 16 floats)",
            ["platform"] = "Portable Computing Language (OpenCL 3.0 PoCL 3.1+debian  Linux, None+Asserts, RELOC, SPIR, LLVM 15.0.6)",
            ["library"] = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1.0.0 (system loader search)",
        };
        var info = new ProviderInfo("opencl", "cpu", 1, details);

        string line = ProviderLine.Format(info, verbose: false);
        string verbose = ProviderLine.Format(info, verbose: true);

        Assert.True(line.Length <= ProviderLine.Width, $"{line.Length} columns: {line}");
        Assert.Equal("provider: opencl on cpu, 1 thread; SIMD: Vector512 (AVX-512, 16 floats); +2 with --verbose", line);
        Assert.StartsWith("provider: opencl on cpu, 1 thread", verbose);
        foreach (var (key, value) in details) Assert.Contains($"\n  {key}: {value}", verbose);
        string longDevice = ProviderLine.Format(info with { Device = "pthread-skylake-avx512-AMD EPYC" }, verbose: false);
        Assert.Equal("provider: opencl on pthread-skylake-avx512-AMD EPYC, 1 thread; +3 with --verbose", longDevice); // no detail fits
        Assert.Equal("provider: managed on cpu, 2 threads; SIMD: wide",
            ProviderLine.Format(new ProviderInfo("managed", "cpu", 2, new Dictionary<string, string> { ["SIMD"] = "wide" }), verbose: false));
    }

    [Fact]
    public void The_progress_bar_labels_its_percentage_as_the_run_s_and_its_times()
    {
        Assert.Equal("run   7%", TrainProgressColumn.RunPercentage(7.9));
        Assert.Equal("run 100%", TrainProgressColumn.RunPercentage(100));
        Assert.Equal("?", TrainProgressColumn.Time(null));
        Assert.Equal("1:05", TrainProgressColumn.Time(TimeSpan.FromSeconds(65)));
        Assert.Equal("2:03:04", TrainProgressColumn.Time(new TimeSpan(2, 3, 4)));
    }
}
