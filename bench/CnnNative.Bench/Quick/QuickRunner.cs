using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using CnnNative.Bench.DryRun;

namespace CnnNative.Bench.Quick;

/// <summary>
/// A Stopwatch pass over the BenchmarkDotNet suites for when a full run takes too long or the
/// machine is shared: <c>dotnet CnnNative.Bench.dll quick [substring …]</c> runs every case
/// whose "Suite.Method(parameters)" contains one of the substrings, warms it up, then times
/// rounds of about <see cref="RoundSeconds"/> and prints the median wall time per call and the
/// process CPU time per call. With one thread per provider (<c>CNN_Compute__Managed__Threads=1</c>
/// and friends) CPU time is the work itself, unaffected by other load on the machine.
/// </summary>
public static class QuickRunner
{
    private const double RoundSeconds = 0.5;
    private const int Rounds = 5;

    public static int Run(string[] filters)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"load average {LoadAverage()}; {Rounds} rounds of ~{RoundSeconds} s per case; wall = median per call, cpu = process CPU per call");
        Console.WriteLine($"{"case",-90} {"wall ms",10} {"cpu ms",10}");
        foreach (var suite in SuiteReflection.Suites(typeof(QuickRunner).Assembly))
        foreach (var benchmarkCase in SuiteReflection.Cases(suite))
        foreach (var method in SuiteReflection.Benchmarks(suite))
        {
            string name = $"{suite.Name}.{method.Name}({string.Join(", ", benchmarkCase.Parameters.Select(p => p.Key.Name + "=" + p.Value))})";
            if (filters.Length > 0 && !filters.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase))) continue;
            if (method.GetParameters().Length > 0) continue;
            var (wall, cpu) = Time(benchmarkCase, method);
            Console.WriteLine(string.Create(inv, $"{name,-90} {wall,10:F3} {cpu,10:F3}"));
        }
        return 0;
    }

    private static (double WallMs, double CpuMs) Time(BenchmarkCase benchmarkCase, MethodInfo method)
    {
        object instance = Activator.CreateInstance(benchmarkCase.Suite)!;
        foreach (var (property, value) in benchmarkCase.Parameters) property.SetValue(instance, value);
        var call = method.CreateDelegate<Action>(instance);
        Invoke<GlobalSetupAttribute>(instance);
        try
        {
            for (int i = 0; i < 3; i++) call();
            var watch = Stopwatch.StartNew();
            call();
            int reps = Math.Max(1, (int)(RoundSeconds / Math.Max(watch.Elapsed.TotalSeconds, 1e-6)));
            var wall = new List<double>();
            double cpuMs = double.MaxValue;
            for (int round = 0; round < Rounds; round++)
            {
                var cpu0 = Environment.CpuUsage.TotalTime;
                watch.Restart();
                for (int i = 0; i < reps; i++) call();
                wall.Add(watch.Elapsed.TotalMilliseconds / reps);
                cpuMs = Math.Min(cpuMs, (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds / reps);
            }
            wall.Sort();
            return (wall[wall.Count / 2], cpuMs);
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(instance);
        }
    }

    private static void Invoke<TAttribute>(object instance) where TAttribute : Attribute
    {
        foreach (var m in SuiteReflection.Marked<TAttribute>(instance.GetType())) m.Invoke(instance, null);
    }

    private static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a"; }
        catch (IOException) { return "n/a"; }
    }
}
