using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CnnNative.Core;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Chooses the GEMM blocking for a device by measurement, the way CLBlast and cuDNN's
/// heuristics-plus-benchmark do: each candidate blocking that fits the device (work-group
/// size, local memory) is compiled, warmed up and timed on a few products of the shapes a
/// conv net runs (a square product, a conv layer's forward and its weight gradient), and the
/// fastest total wins. The choice is cached per platform, device, driver, kernel style and
/// kernel source (<see cref="TuningCache"/>), so the search — seconds on a GPU — runs on the
/// first use of a device and driver only. A candidate that does not build or run on the
/// device is skipped, never chosen.
/// </summary>
internal static class GemmTuner
{
    /// <summary>GPU blockings (A and B staged in local memory); the first is the untuned default.</summary>
    public static IReadOnlyList<GemmTiles> GpuCandidates { get; } =
    [
        GemmTiles.Gpu,                                    // 64×64, 16×16 work-items of 4×4
        new(128, 128, 16, 8, 8, 4, true, true),           // 8×8 per work-item: more reuse, large GPUs
        new(128, 64, 16, 8, 4, 4, true, true),
        new(64, 64, 32, 4, 4, 4, true, true),             // deeper K steps, fewer barriers
        new(32, 32, 16, 4, 4, 4, true, true),             // 8×8 groups: small products, small devices
        new(64, 64, 16, 4, 4, 4, false, true),            // only B staged
    ];

    /// <summary>CPU-device blockings (no staging, one core per group); the first is the untuned default.</summary>
    public static IReadOnlyList<GemmTiles> CpuCandidates { get; } =
    [
        GemmTiles.Cpu,                                    // 6×32 per work-item: AVX-512
        new(48, 32, 16, 6, 32, 16, false, false),         // shorter row blocks
        new(64, 16, 16, 4, 16, 16, false, false),         // one float16 per row: fewer registers (AVX2)
    ];

    /// <summary>The timed products: C[M,N] = op(A)·op(B) as (M, N, K, transpose A, transpose B).</summary>
    private static readonly (int M, int N, int K, bool TA, bool TB)[] Workload =
        [(512, 512, 512, false, false), (14400, 32, 25, false, true), (32, 25, 14400, true, false)];

    /// <summary>The cache key: what makes a measured choice valid (a new driver or kernel source re-tunes).</summary>
    public static string Key(ClDevice device, bool cpuKernels) =>
        $"{device.PlatformName} | {device.Name} | driver {device.DriverVersion} | {(cpuKernels ? "cpu" : "gpu")} kernels | source {SourceHash()}";

    /// <summary>Whether <paramref name="tiles"/> can run on <paramref name="device"/> (work-group size, local memory for the staged slices).</summary>
    public static bool Fits(GemmTiles tiles, ClDevice device)
    {
        long localBytes = ((tiles.StageA ? (long)tiles.TM * tiles.TK : 0) + (tiles.StageB ? (long)tiles.TK * tiles.TN : 0)) * sizeof(float);
        return tiles.LocalX * tiles.LocalY <= device.MaxWorkGroupSize && localBytes <= device.LocalMemory;
    }

    /// <summary>
    /// The cached choice for <paramref name="key"/>, or the fastest of <paramref name="candidates"/>
    /// by <paramref name="secondsFor"/> (which throws for a candidate the device cannot run), cached.
    /// </summary>
    public static GemmTiles Choose(string key, IReadOnlyList<GemmTiles> candidates, TuningCache cache, Func<GemmTiles, double> secondsFor)
    {
        if (cache.Get(key) is { } cached)
        {
            try
            {
                var tiles = GemmTiles.Parse(cached, candidates[0]);
                if (candidates.Contains(tiles)) return tiles;
            }
            catch (ArgumentException) { }   // an old or hand-edited entry: measure again
        }
        GemmTiles best = candidates[0];
        double bestSeconds = double.PositiveInfinity;
        foreach (var candidate in candidates)
        {
            double seconds;
            try { seconds = secondsFor(candidate); }
            catch (Exception e) when (e is OpenClException or NotSupportedException or ArgumentException) { continue; }
            if (seconds < bestSeconds) (best, bestSeconds) = (candidate, seconds);
        }
        if (double.IsFinite(bestSeconds))
        {
            try { cache.Set(key, best.ToString()); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // tuned again next time
        }
        return best;
    }

    /// <summary>Seconds for the workload on a provider built with the candidate blocking (best of three rounds).</summary>
    public static double Time(OpenClProvider p)
    {
        p.EnsureCompiled();
        var tensors = new List<Tensor>();
        try
        {
            var products = new List<Action>();
            foreach (var (m, n, k, ta, tb) in Workload)
            {
                var a = p.Allocate(new TensorShape(m * k));
                var b = p.Allocate(new TensorShape(k * n));
                var c = p.Allocate(new TensorShape(m * n));
                tensors.AddRange([a, b, c]);
                products.Add(() => p.Gemm(ta ? Transpose.Transpose : Transpose.NoTranspose, tb ? Transpose.Transpose : Transpose.NoTranspose,
                    m, n, k, 1f, a, b, 0f, c));
            }
            foreach (var run in products) run();
            p.Synchronize();
            double best = double.PositiveInfinity;
            var clock = new Stopwatch();
            for (int round = 0; round < 3; round++)
            {
                clock.Restart();
                foreach (var run in products) run();
                p.Synchronize();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return best;
        }
        finally
        {
            foreach (var t in tensors) t.Dispose();
        }
    }

    private static string SourceHash() =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(KernelSources.All)))[..12].ToLowerInvariant();
}
