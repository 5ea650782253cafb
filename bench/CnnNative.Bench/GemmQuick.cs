using System.Diagnostics;
using CnnNative.Core;

namespace CnnNative.Bench;

/// <summary>
/// A Stopwatch harness for GEMM GFLOP/s when a full BenchmarkDotNet run is too slow:
/// <c>dotnet CnnNative.Bench.dll gemm-quick [provider] [shape …]</c>, shapes like "1024x1024x1024 NN".
/// Warms up, then reports the best and median of repeated timed runs of about 0.2 s each, and
/// GFLOP per CPU-second of the process (all threads): on a shared machine wall time mostly
/// measures the neighbours, CPU time still measures the kernels (a perfectly parallel run on
/// an idle machine has wall GF/s ≈ threads × GF/CPU-s).
/// </summary>
public static class GemmQuick
{
    public static int Run(string[] args)
    {
        string provider = args.Length > 0 ? args[0] : "managed";
        string[] shapes = args.Length > 1 ? args[1..] : GemmShape.Standard;
        using var p = BenchProviders.Create(provider);
        Console.WriteLine(p.Info);
        Console.WriteLine($"micro-kernel on L1-resident panels, one thread: {KernelPeak():F1} GF/s (the ceiling right now)");
        Console.WriteLine($"{"shape",-22} {"best GF/s",10} {"median GF/s",12} {"ms (best)",10} {"GF/CPU-s",10}");
        foreach (string text in shapes)
        {
            var s = GemmShape.Parse(text);
            using var a = p.Allocate(new TensorShape(s.M * s.K));
            using var b = p.Allocate(new TensorShape(s.K * s.N));
            using var c = p.Allocate(new TensorShape(s.M * s.N));
            var rng = new Random(1);
            p.Upload(Enumerable.Range(0, s.M * s.K).Select(_ => (float)rng.NextDouble()).ToArray(), a);
            p.Upload(Enumerable.Range(0, s.K * s.N).Select(_ => (float)rng.NextDouble()).ToArray(), b);
            void Once() => p.Gemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, a, b, 0f, c);
            // Warm up for half a second (and at least 40 calls) so that tiered JIT has finished.
            // An asynchronous provider (opencl) only queues the work: wait for it inside every timing.
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 40 || watch.Elapsed.TotalSeconds < 0.5; i++) Once();
            p.Synchronize();
            watch.Restart();
            Once();
            p.Synchronize();
            int reps = Math.Max(1, (int)(0.2 / Math.Max(watch.Elapsed.TotalSeconds, 1e-6)));
            var times = new List<double>();
            var process = System.Diagnostics.Process.GetCurrentProcess();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            for (int round = 0; round < 7; round++)
            {
                watch.Restart();
                for (int i = 0; i < reps; i++) Once();
                p.Synchronize();
                times.Add(watch.Elapsed.TotalSeconds / reps);
            }
            process.Refresh();
            double cpuPerRun = (process.TotalProcessorTime - cpu0).TotalSeconds / (7 * reps);
            times.Sort();
            double best = times[0], median = times[times.Count / 2];
            Console.WriteLine($"{s,-22} {s.Flops / best / 1e9,10:F1} {s.Flops / median / 1e9,12:F1} {best * 1e3,10:F3} {s.Flops / cpuPerRun / 1e9,10:F1}");
        }
        return 0;
    }

    /// <summary>GF/s of the 12×32 micro-kernel alone on data that stays in L1, per CPU-second of the calling thread where available (machine noise calibrates against it).</summary>
    internal static unsafe double KernelPeak()
    {
        const int kc = 256, rows = 12, cols = 32;
        float* a = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(kc * rows * 4, 64);
        float* b = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(kc * cols * 4, 64);
        float* c = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(rows * cols * 4, 64);
        for (int i = 0; i < kc * rows; i++) a[i] = 0.001f;
        for (int i = 0; i < kc * cols; i++) b[i] = 0.001f;
        var simd = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated
            ? CnnNative.Providers.Managed.SimdWidth.Vector512 : CnnNative.Providers.Managed.SimdWidth.Vector256;
        int tileRows = simd == CnnNative.Providers.Managed.SimdWidth.Vector512 ? 12 : 6, tileCols = simd == CnnNative.Providers.Managed.SimdWidth.Vector512 ? 32 : 16;
        double best = 0;
        for (int round = 0; round < 5; round++)
        {
            // The thread's CPU time where the OS gives it: a loaded machine then lowers the figure little.
            var watch = Stopwatch.StartNew();
            long cpu0 = Profile.ThreadCpuClock.Available ? Profile.ThreadCpuClock.Nanoseconds() : 0;
            const int reps = 20000;
            for (int i = 0; i < reps; i++)
                CnnNative.Providers.Managed.Gemm.TileDispatch.Run(simd, tileRows, tileCols, false, kc, a, tileRows, b, 0, c, cols, 1f, 1f);
            double seconds = Profile.ThreadCpuClock.Available ? (Profile.ThreadCpuClock.Nanoseconds() - cpu0) / 1e9 : watch.Elapsed.TotalSeconds;
            best = Math.Max(best, 2.0 * tileRows * tileCols * kc * reps / seconds / 1e9);
        }
        System.Runtime.InteropServices.NativeMemory.AlignedFree(a);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(b);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(c);
        return best;
    }
}
