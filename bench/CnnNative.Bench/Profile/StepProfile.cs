using System.Diagnostics;
using System.Globalization;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Providers.Managed;

namespace CnnNative.Bench.Profile;

/// <summary>
/// Where a training step's time goes on the managed provider: runs a model's real training
/// step (upload the batch, forward, loss, backward, Adam, read the loss) on a
/// <see cref="ProfilingManagedProvider"/> and reports each operation's milliseconds per step
/// and share, largest first. The rest of the wall time (wall − Σ operations) is the layers',
/// validation's and the network's own overhead.
/// <c>dotnet CnnNative.Bench.dll profile-step [model] [batch] [steps] [threads]</c>.
/// </summary>
public static class StepProfile
{
    /// <param name="CpuMillisecondsPerStep">The calling thread's CPU time: the whole cost when the provider runs one thread.</param>
    /// <param name="FlopsPerStep">GEMM and convolution operations' floating-point work per step (im2col-equivalent for convolutions), 0 for the others.</param>
    public sealed record Row(string Operation, double CallsPerStep, double MillisecondsPerStep, double Share, double CpuMillisecondsPerStep, double FlopsPerStep);

    public sealed record Result(string Model, int Batch, int Steps, int Threads, double WallMillisecondsPerStep,
        double OperationsMillisecondsPerStep, IReadOnlyList<Row> Rows);

    /// <param name="algorithm">Forces one convolution algorithm; <c>Auto</c> measures per layer as training does, so its choice depends on the machine's load.</param>
    public static Result Measure(string model = ModelPresets.SimpleConv, int batch = 100, int warmupSteps = 5, int steps = 20, int threads = 0,
        ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Auto)
    {
        if (threads <= 0) threads = Environment.ProcessorCount;
        using var provider = new ProfilingManagedProvider(threads) { ConvolutionAlgorithm = algorithm };
        using var net = Network.Build(ModelSpec.FromPresetOrFile(model), new TensorShape(1, 28, 28), 10, provider, seed: 1);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        var rng = new Random(7);
        var images = new float[batch * 28 * 28];
        for (int i = 0; i < images.Length; i++) images[i] = (float)rng.NextDouble();
        var labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = rng.Next(10);
        using var x = provider.Allocate(new TensorShape(batch, 1, 28, 28));
        using var t = provider.Allocate(new TensorShape(batch));

        void Step()
        {
            provider.Upload(images, x);
            provider.Upload(labels, t);
            net.TrainStep(x, t, optimizer);
            net.ReadLoss();
        }

        for (int i = 0; i < warmupSteps; i++) Step();
        provider.Reset();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        double wallMs = watch.Elapsed.TotalMilliseconds / steps;

        double tickMs = 1000.0 / Stopwatch.Frequency;
        var rows = provider.Timings
            .Select(kv => (Key: kv.Key.ToString(), Calls: kv.Value.Calls / (double)steps, Ms: kv.Value.Ticks * tickMs / steps,
                Cpu: kv.Value.CpuNanoseconds / 1e6 / steps, Flops: kv.Key.Flops * kv.Value.Calls / steps))
            .OrderByDescending(r => threads == 1 && ThreadCpuClock.Available ? r.Cpu : r.Ms)
            .ToList();
        double opsMs = rows.Sum(r => r.Ms);
        return new Result(model, batch, steps, threads, wallMs, opsMs,
            rows.Select(r => new Row(r.Key, r.Calls, r.Ms, r.Ms / wallMs, r.Cpu, r.Flops)).ToList());
    }

    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        string model = args.Length > 0 ? args[0] : ModelPresets.SimpleConv;
        int batch = args.Length > 1 ? int.Parse(args[1], inv) : 100;
        int steps = args.Length > 2 ? int.Parse(args[2], inv) : 20;
        int threads = args.Length > 3 ? int.Parse(args[3], inv) : 0;
        var r = Measure(model, batch, warmupSteps: 5, steps, threads);
        // One thread: each GEMM or convolution's GFLOP per CPU-second against the micro-kernel's own
        // rate on L1-resident panels, measured now (the FMA ceiling a real product can approach).
        double? ceiling = r.Threads == 1 && ThreadCpuClock.Available ? GemmQuick.KernelPeak() : null;
        Console.WriteLine(string.Create(inv,
            $"{r.Model}, batch {r.Batch}, Adam, managed provider on {r.Threads} thread(s); {r.Steps} steps after 5 warm-up; load average {LoadAverage()}"));
        Console.WriteLine(string.Create(inv,
            $"wall {r.WallMillisecondsPerStep:F2} ms/step ({r.Batch / r.WallMillisecondsPerStep * 1000:N0} images/s); operations {r.OperationsMillisecondsPerStep:F2} ms; other {r.WallMillisecondsPerStep - r.OperationsMillisecondsPerStep:F2} ms"));
        double cpuTotal = r.Rows.Sum(row => row.CpuMillisecondsPerStep);
        Console.WriteLine(string.Create(inv,
            $"calling thread's CPU time in operations: {cpuTotal:F2} ms/step{(r.Threads == 1 ? " (one thread: all the work; sorted by it)" : " (workers not included)")}"));
        if (ceiling is double peak)
            Console.WriteLine(string.Create(inv, $"micro-kernel ceiling now: {peak:F1} GFLOP/s on one core; GFLOP/CPU-s and % ceiling for GEMMs and convolutions (im2col-equivalent work)"));
        Console.WriteLine($"{"operation",-44} {"calls",6} {"wall ms",9} {"share",7} {"cpu ms",9} {"cpu share",9}{(ceiling is null ? "" : $" {"GF/CPU-s",9} {"% ceiling",9}")}");
        foreach (var row in r.Rows)
        {
            string rate = "";
            if (ceiling is double c && row.FlopsPerStep > 0 && row.CpuMillisecondsPerStep > 0)
            {
                double gflops = row.FlopsPerStep / (row.CpuMillisecondsPerStep * 1e6);
                rate = string.Create(inv, $" {gflops,9:F1} {gflops / c,9:P0}");
            }
            Console.WriteLine(string.Create(inv,
                $"{row.Operation,-44} {row.CallsPerStep,6:0.#} {row.MillisecondsPerStep,9:F3} {row.Share,7:P1} {row.CpuMillisecondsPerStep,9:F3} {(cpuTotal > 0 ? row.CpuMillisecondsPerStep / cpuTotal : 0),9:P1}{rate}"));
        }
        return 0;
    }

    private static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a"; }
        catch (IOException) { return "n/a"; }
    }
}
