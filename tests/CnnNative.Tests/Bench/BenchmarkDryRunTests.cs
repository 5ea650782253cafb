using CnnNative.Bench;
using CnnNative.Bench.DryRun;
using CnnNative.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CnnNative.Tests.Bench;

/// <summary>
/// Every BenchmarkDotNet suite, every parameter combination, every benchmark method, called
/// once in process per provider ([GlobalSetup] → method → [GlobalCleanup]). BenchmarkDotNet
/// exits 0 when a benchmark throws, so this is what keeps the suites compiling and running in
/// CI. Nothing about time is asserted; the log shows one cold call per method for orientation.
/// </summary>
public sealed class BenchmarkDryRunTests(ITestOutputHelper output)
{
    [ProviderFact("managed")]
    public void Every_benchmark_runs_once_on_managed() => DryRun("managed");

    [ProviderFact("openblas")]
    public void Every_benchmark_runs_once_on_openblas() => DryRun("openblas");

    [ProviderFact("opencl")]
    public void Every_benchmark_runs_once_on_opencl() => DryRun("opencl");

    [Fact]
    public void Every_provider_the_benchmarks_know_is_covered_by_a_dry_run()
    {
        // A provider added to BenchProviders needs its own dry-run fact above.
        Assert.Equal(["managed", "openblas", "opencl"], BenchProviders.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_plan_covers_the_operation_suites_on_each_provider()
    {
        var suites = DryRunPlan.For("opencl").Select(c => c.Suite.Name).Distinct().ToList();
        foreach (string name in (string[])["Im2ColBenchmarks", "ConvolutionBenchmarks", "MaxPoolBenchmarks", "TrainingStepBenchmarks"])
            Assert.Contains(name, suites);
        Assert.All(DryRunPlan.For("opencl"), c => Assert.Equal("opencl", c.Parameter(DryRunPlan.ProviderParameter)));
    }

    [Fact]
    public void A_throwing_benchmark_fails_the_dry_run_with_its_case_and_method()
    {
        var benchmarkCase = new BenchmarkCase(typeof(ThrowingSuite), []);
        var e = Assert.Throws<DryRunException>(() => DryRunner.Run(benchmarkCase));
        Assert.Contains("ThrowingSuite", e.Message);
        Assert.Contains("Broken", e.Message);
        Assert.True(ThrowingSuite.CleanedUp, "[GlobalCleanup] must run after a failure");
    }

    private void DryRun(string provider)
    {
        var cases = DryRunPlan.For(provider);
        Assert.NotEmpty(cases);
        var log = new OutputWriter(output);
        foreach (var benchmarkCase in cases)
        {
            var ran = DryRunner.Run(benchmarkCase, log);
            Assert.NotEmpty(ran);
        }
    }

    /// <summary>A suite whose benchmark throws, to prove the runner reports it.</summary>
    public sealed class ThrowingSuite
    {
        public static bool CleanedUp { get; private set; }

        [BenchmarkDotNet.Attributes.Benchmark]
        public void Broken() => throw new InvalidOperationException("kernel failed");

        [BenchmarkDotNet.Attributes.GlobalCleanup]
        public void Cleanup() => CleanedUp = true;
    }

    private sealed class OutputWriter(ITestOutputHelper output) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }
}
