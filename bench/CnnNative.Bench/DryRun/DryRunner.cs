using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CnnNative.Bench.DryRun;

/// <summary>
/// Runs every benchmark of a suite once, in process, the way BenchmarkDotNet's engine calls
/// it ([GlobalSetup], then per benchmark [IterationSetup] → method → [IterationCleanup], then
/// [GlobalCleanup] even after a failure), and throws when anything throws. BenchmarkDotNet
/// itself reports a throwing benchmark in its log and exits 0, so CI needs this to notice
/// that a suite broke. Timings are printed for orientation only; nothing is asserted on them.
/// </summary>
public static class DryRunner
{
    /// <summary>Runs one parameter combination; returns the benchmarks run with their wall times.</summary>
    public static IReadOnlyList<(string Benchmark, TimeSpan Elapsed)> Run(BenchmarkCase benchmarkCase, TextWriter? log = null)
    {
        var suite = benchmarkCase.Suite;
        object instance = Activator.CreateInstance(suite)
            ?? throw new InvalidOperationException($"{suite.Name} has no public parameterless constructor.");
        foreach (var (property, value) in benchmarkCase.Parameters) property.SetValue(instance, value);

        var results = new List<(string, TimeSpan)>();
        var watch = Stopwatch.StartNew();
        try
        {
            InvokeAll<GlobalSetupAttribute>(instance, benchmarkCase, "[GlobalSetup]");
            log?.WriteLine($"  {benchmarkCase}: setup {watch.Elapsed.TotalMilliseconds:F0} ms");
            foreach (var method in SuiteReflection.Benchmarks(suite))
            {
                foreach (var args in SuiteReflection.ArgumentRows(method))
                {
                    InvokeAll<IterationSetupAttribute>(instance, benchmarkCase, "[IterationSetup]");
                    watch.Restart();
                    Invoke(method, instance, args, benchmarkCase);
                    var elapsed = watch.Elapsed;
                    InvokeAll<IterationCleanupAttribute>(instance, benchmarkCase, "[IterationCleanup]");
                    results.Add((method.Name, elapsed));
                    log?.WriteLine($"    {method.Name}: {elapsed.TotalMilliseconds:F1} ms (one cold call)");
                }
            }
        }
        finally
        {
            InvokeAll<GlobalCleanupAttribute>(instance, benchmarkCase, "[GlobalCleanup]");
        }
        return results;
    }

    private static void InvokeAll<TAttribute>(object instance, BenchmarkCase benchmarkCase, string what) where TAttribute : Attribute
    {
        foreach (var method in SuiteReflection.Marked<TAttribute>(benchmarkCase.Suite))
            Invoke(method, instance, [], benchmarkCase, what);
    }

    private static void Invoke(MethodInfo method, object instance, object?[] args, BenchmarkCase benchmarkCase, string? what = null)
    {
        try
        {
            method.Invoke(instance, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new DryRunException(benchmarkCase, (what is null ? "" : what + " ") + method.Name, e.InnerException);
        }
    }
}

/// <summary>A benchmark (or its setup/cleanup) threw during a dry run; the message names the suite, parameters and method.</summary>
public sealed class DryRunException(BenchmarkCase benchmarkCase, string method, Exception inner)
    : Exception($"{benchmarkCase}.{method} threw {inner.GetType().Name}: {inner.Message}", inner)
{
    public BenchmarkCase Case { get; } = benchmarkCase;
}
