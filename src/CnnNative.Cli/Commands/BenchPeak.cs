using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnNative.Cli.Commands;

/// <summary>
/// The machine's measured single-precision FMA throughput, on one core and on all of them, in
/// GFLOP/s (a fused multiply-add counts two). Measured in the same run as the workloads, so each
/// workload's effective GFLOP/s can be stated as a fraction of what this machine delivered then
/// (development machines differ from day to day, and a shared one from minute to minute).
/// <see cref="PerCpuSecond"/> divides the one-core probe's work by the CPU time the process
/// spent on it: what one core delivers while it runs, which other work on a loaded machine
/// does not lower; a workload's GFLOP per CPU-second is compared with it.
/// </summary>
internal sealed record BenchPeak(double OneCore, double AllCores, double PerCpuSecond, int Cores, string Vector, double SecondsPerProbe)
{
    /// <summary>The peak a workload computing on <paramref name="threads"/> threads can reach: one core's, or the all-core figure scaled to the cores it can use.</summary>
    public double For(int threads) => threads <= 1 ? OneCore : AllCores * Math.Min(threads, Cores) / Cores;
}

/// <summary>
/// The FMA-throughput probe: each thread runs 16 independent chains of the widest vector FMA
/// (enough to cover the FMA latency × pipes of current x64 and Arm cores), so the loop is
/// bound by FMA issue alone, for a fixed time; one thread, then one per logical core at once.
/// </summary>
internal static class FmaProbe
{
    private const int Chains = 16;
    private const int IterationsPerCheck = 4096;
    private static float s_sink;

    public static BenchPeak Measure(double secondsPerProbe)
    {
        int cores = Environment.ProcessorCount;
        Run(1, Math.Min(0.05, secondsPerProbe)); // compile and wake the core before timing
        var (one, perCpu) = Run(1, secondsPerProbe);
        double all = cores == 1 ? one : Run(cores, secondsPerProbe).Gflops;
        return new BenchPeak(one, all, perCpu, cores, VectorName, secondsPerProbe);
    }

    private static string VectorName =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";

    private static int Lanes =>
        Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads each running the FMA loop for <paramref name="seconds"/>, and GFLOP per CPU-second of the process.</summary>
    private static (double Gflops, double PerCpuSecond) Run(int threads, double seconds)
    {
        var iterations = new long[threads];
        using var start = new ManualResetEventSlim(false);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                start.Wait();
                iterations[index] = Spin(seconds);
            }) { IsBackground = true, Name = $"fma-probe-{t}" };
            workers[t].Start();
        }
        var cpuStart = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        start.Set();
        foreach (var worker in workers) worker.Join();
        double elapsed = watch.Elapsed.TotalSeconds;
        double cpu = (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds;
        double gflop = (double)iterations.Sum() * Chains * Lanes * 2 / 1e9;
        return (gflop / elapsed, cpu > 0 ? gflop / cpu : double.NaN);
    }

    /// <summary>Iterations of the 16-chain FMA step done in <paramref name="seconds"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Spin(double seconds)
    {
        if (Vector512.IsHardwareAccelerated) return Spin512(seconds);
        if (Vector256.IsHardwareAccelerated) return Spin256(seconds);
        return Spin128(seconds);
    }

    // The three widths repeat one pattern; acc·m + a converges (m < 1), so no chain overflows or
    // turns denormal however long it runs. Each block restarts its chains: the loop measures issue
    // rate, not a value.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Spin512(double seconds)
    {
        long done = 0;
        float sum = 0;
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        do
        {
            sum += Chains512();
            done += IterationsPerCheck;
        }
        while (Stopwatch.GetTimestamp() < end);
        s_sink += sum;
        return done;
    }

    /// <summary><see cref="IterationsPerCheck"/> steps of the 16 chains, with no call inside the loop, so every chain stays in a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Chains512()
    {
        var m = Vector512.Create(0.999f);
        var a = Vector512.Create(0.001f);
        Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a,
            c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < IterationsPerCheck; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
            c12 = Vector512.FusedMultiplyAdd(c12, m, a); c13 = Vector512.FusedMultiplyAdd(c13, m, a);
            c14 = Vector512.FusedMultiplyAdd(c14, m, a); c15 = Vector512.FusedMultiplyAdd(c15, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Spin256(double seconds)
    {
        long done = 0;
        float sum = 0;
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        do
        {
            sum += Chains256();
            done += IterationsPerCheck;
        }
        while (Stopwatch.GetTimestamp() < end);
        s_sink += sum;
        return done;
    }

    /// <summary><see cref="IterationsPerCheck"/> steps of the 16 chains, with no call inside the loop, so every chain stays in a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Chains256()
    {
        var m = Vector256.Create(0.999f);
        var a = Vector256.Create(0.001f);
        Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a,
            c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < IterationsPerCheck; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
            c12 = Vector256.FusedMultiplyAdd(c12, m, a); c13 = Vector256.FusedMultiplyAdd(c13, m, a);
            c14 = Vector256.FusedMultiplyAdd(c14, m, a); c15 = Vector256.FusedMultiplyAdd(c15, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Spin128(double seconds)
    {
        long done = 0;
        float sum = 0;
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        do
        {
            sum += Chains128();
            done += IterationsPerCheck;
        }
        while (Stopwatch.GetTimestamp() < end);
        s_sink += sum;
        return done;
    }

    /// <summary><see cref="IterationsPerCheck"/> steps of the 16 chains, with no call inside the loop, so every chain stays in a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Chains128()
    {
        var m = Vector128.Create(0.999f);
        var a = Vector128.Create(0.001f);
        Vector128<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a,
            c8 = a, c9 = a, c10 = a, c11 = a, c12 = a, c13 = a, c14 = a, c15 = a;
        for (int i = 0; i < IterationsPerCheck; i++)
        {
            c0 = Vector128.FusedMultiplyAdd(c0, m, a); c1 = Vector128.FusedMultiplyAdd(c1, m, a);
            c2 = Vector128.FusedMultiplyAdd(c2, m, a); c3 = Vector128.FusedMultiplyAdd(c3, m, a);
            c4 = Vector128.FusedMultiplyAdd(c4, m, a); c5 = Vector128.FusedMultiplyAdd(c5, m, a);
            c6 = Vector128.FusedMultiplyAdd(c6, m, a); c7 = Vector128.FusedMultiplyAdd(c7, m, a);
            c8 = Vector128.FusedMultiplyAdd(c8, m, a); c9 = Vector128.FusedMultiplyAdd(c9, m, a);
            c10 = Vector128.FusedMultiplyAdd(c10, m, a); c11 = Vector128.FusedMultiplyAdd(c11, m, a);
            c12 = Vector128.FusedMultiplyAdd(c12, m, a); c13 = Vector128.FusedMultiplyAdd(c13, m, a);
            c14 = Vector128.FusedMultiplyAdd(c14, m, a); c15 = Vector128.FusedMultiplyAdd(c15, m, a);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }
}
