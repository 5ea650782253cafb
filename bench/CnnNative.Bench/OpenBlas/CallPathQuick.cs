using System.Diagnostics;
using System.Runtime.InteropServices;
using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using CnnNative.Providers.OpenBlas.Interop;

namespace CnnNative.Bench.OpenBlas;

/// <summary>
/// The quick form of <see cref="OpenBlasCallPathBenchmarks"/> for a shared machine:
/// <c>dotnet CnnNative.Bench.dll openblas-callpath [shape …]</c>. Raw <c>cblas_sgemm</c> and the
/// provider's Gemm alternate in rounds on the same shapes and threads; besides the best wall
/// time it reports GFLOP per CPU-second of the process, which a busy neighbour does not move
/// (OpenBLAS runs on the calling thread at the default single OpenBLAS thread), and the
/// provider's share of the raw throughput (target ≥ 90%).
/// </summary>
public static class CallPathQuick
{
    public static int Run(string[] args)
    {
        string[] shapes = args.Length > 0 ? args : ["1x1x1 NN", "16x16x16 NN", .. GemmShape.Standard];
        using var provider = (OpenBlasProvider)BenchProviders.Create("openblas");
        Console.WriteLine(provider.Info);
        Console.WriteLine($"{"shape",-20} {"raw GF/s",9} {"ours GF/s",10} {"raw GF/CPU-s",13} {"ours GF/CPU-s",14} {"ours/raw (CPU)",15} {"ours/raw (best wall)",21}");
        foreach (string text in shapes)
        {
            var s = GemmShape.Parse(text);
            using var a = Tensor(provider, s.M * s.K, 1);
            using var b = Tensor(provider, s.K * s.N, 2);
            using var c = provider.Allocate(new TensorShape(s.M * s.N));
            using var rawA = new Aligned(provider, a);
            using var rawB = new Aligned(provider, b);
            using var rawC = new Aligned(provider, c);
            int lda = s.TransA == Transpose.NoTranspose ? s.K : s.M;
            int ldb = s.TransB == Transpose.NoTranspose ? s.N : s.K;

            unsafe void Raw() => OpenBlasNative.cblas_sgemm(OpenBlasNative.CblasRowMajor,
                s.TransA == Transpose.NoTranspose ? OpenBlasNative.CblasNoTrans : OpenBlasNative.CblasTrans,
                s.TransB == Transpose.NoTranspose ? OpenBlasNative.CblasNoTrans : OpenBlasNative.CblasTrans,
                s.M, s.N, s.K, 1f, rawA.Pointer, lda, rawB.Pointer, ldb, 0f, rawC.Pointer, s.N);
            void Ours() => provider.Gemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, a, b, 0f, c);

            int reps = Reps(Raw);
            Reps(Ours);
            var raw = new Sample();
            var ours = new Sample();
            for (int round = 0; round < 9; round++)
            {
                raw.Add(Time(Raw, reps));
                ours.Add(Time(Ours, reps));
            }
            double flops = s.Flops;
            Console.WriteLine($"{s,-20} {flops / raw.BestWall / 1e9,9:F1} {flops / ours.BestWall / 1e9,10:F1} {flops / raw.Cpu / 1e9,13:F1} {flops / ours.Cpu / 1e9,14:F1} {raw.Cpu / ours.Cpu,15:P1} {raw.BestWall / ours.BestWall,21:P1}");
        }
        return 0;
    }

    /// <summary>Calls per timed round: about 50 ms of work, after half a second of warm-up.</summary>
    private static int Reps(Action op)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (calls < 20 || watch.Elapsed.TotalSeconds < 0.5) { op(); calls++; }
        return Math.Max(1, (int)(0.05 * calls / watch.Elapsed.TotalSeconds));
    }

    private static (double Wall, double Cpu) Time(Action op, int reps)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < reps; i++) op();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds / reps;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu0).TotalSeconds / reps);
    }

    private sealed class Sample
    {
        private double _cpu;
        private int _count;
        public double BestWall { get; private set; } = double.MaxValue;
        public double Cpu => _cpu / _count;

        public void Add((double Wall, double Cpu) t)
        {
            BestWall = Math.Min(BestWall, t.Wall);
            _cpu += t.Cpu;
            _count++;
        }
    }

    private static Tensor Tensor(IComputeProvider p, int length, int seed)
    {
        var t = p.Allocate(new TensorShape(length));
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        p.Upload(values, t);
        return t;
    }

    /// <summary>A 64-byte aligned copy of a tensor, outside any provider, for the raw call.</summary>
    private sealed unsafe class Aligned : IDisposable
    {
        public Aligned(IComputeProvider p, Tensor source)
        {
            Pointer = (float*)NativeMemory.AlignedAlloc((nuint)source.Length * sizeof(float), 64);
            p.Download(source, new Span<float>(Pointer, source.Length));
        }

        public float* Pointer { get; }

        public void Dispose() => NativeMemory.AlignedFree(Pointer);
    }
}
