using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Data;
using CnnNative.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.OpenCl;

/// <summary>The measured choice of GEMM blocking: the search, its cache, and the real search on this device.</summary>
public sealed class GemmTunerTests
{
    private static readonly GemmTiles A = GemmTiles.Gpu, B = GemmTuner.GpuCandidates[1], C = GemmTuner.GpuCandidates[4];

    [Fact]
    public void The_fastest_candidate_wins_and_is_cached_so_the_next_process_does_not_measure()
    {
        using var folder = new TempFolder("tuner");
        var cache = new TuningCache(folder.File("tiles.json"));
        var measured = new List<GemmTiles>();
        double Seconds(GemmTiles t) { measured.Add(t); return t == B ? 1.0 : 2.0; }

        Assert.Equal(B, GemmTuner.Choose("dev|driver 1", [A, B, C], cache, Seconds));
        Assert.Equal([A, B, C], measured);

        measured.Clear();
        Assert.Equal(B, GemmTuner.Choose("dev|driver 1", [A, B, C], new TuningCache(folder.File("tiles.json")), Seconds));
        Assert.Empty(measured);

        // Another driver is another key: measured again.
        Assert.Equal(B, GemmTuner.Choose("dev|driver 2", [A, B, C], cache, Seconds));
        Assert.Equal(3, measured.Count);
    }

    [Fact]
    public void A_candidate_the_device_cannot_run_is_skipped_and_a_corrupt_cache_is_measured_again()
    {
        using var folder = new TempFolder("tuner");
        File.WriteAllText(folder.File("tiles.json"), "{ not json");
        var cache = new TuningCache(folder.File("tiles.json"));
        double Seconds(GemmTiles t) => t == A ? throw new OpenClException(-54, "clEnqueueNDRangeKernel") : t == C ? 0.5 : 1.0;
        Assert.Equal(C, GemmTuner.Choose("k", [A, B, C], cache, Seconds));
        Assert.Equal(C.ToString(), cache.Get("k"));
    }

    [Fact]
    public void A_blocking_needs_room_for_its_work_group_and_its_staged_slices()
    {
        var small = Device(maxWorkGroup: 64, localMemory: 4096);
        Assert.True(GemmTuner.Fits(C, small));                      // 8×8 items, 2 × 32×16 floats = 4 KiB
        Assert.False(GemmTuner.Fits(A, small));                     // 256 items
        Assert.False(GemmTuner.Fits(B, Device(256, 8192)));         // 2 × 128×16 floats = 16 KiB
        Assert.True(GemmTuner.Fits(B, Device(256, 65536)));
    }

    [ProviderFact("opencl")]
    public void The_real_search_runs_once_per_device_and_driver_and_says_so()
    {
        using var folder = new TempFolder("tuner");
        string path = folder.File("tiles.json");
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GemmTuning"] = "on",
            ["TuningCache"] = path,
        }).Build();
        using (var first = (OpenClProvider)new OpenClProviderFactory().Create(section))
            Assert.Contains("measured on this device", first.Info.Details["gemm tiles"]);
        string cached = File.ReadAllText(path);
        Assert.Contains("driver", cached);
        using var second = (OpenClProvider)new OpenClProviderFactory().Create(section);
        Assert.Contains("measured on this device", second.Info.Details["gemm tiles"]);
        Assert.Equal(cached, File.ReadAllText(path));
    }

    private static ClDevice Device(int maxWorkGroup, long localMemory) => new(
        0, 0, 0, "platform", "OpenCL 1.2", "device", "vendor", Silk.NET.OpenCL.DeviceType.Gpu, 8, maxWorkGroup,
        1L << 30, localMemory, 1L << 28, "1.0", "OpenCL 1.2", "OpenCL C 1.2");
}
