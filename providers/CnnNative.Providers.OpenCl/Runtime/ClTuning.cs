using System.Globalization;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Launch shapes and compile-time blocking for one device. GPUs get the classic sizes
/// (256-wide groups, 64×64 GEMM tiles). On a CPU device each work-group is one task on one
/// core, so groups are large (few tasks, long vectorisable work-item loops) and the GEMM
/// blocking targets the SIMD registers instead of a GPU's threads; the queue is kept short
/// there (see <see cref="ClRuntime.QueueDepthLimit"/>).
/// </summary>
internal sealed record ClTuning(GemmTiles Gemm, int ElementwiseLocal, int ReduceLocal, int QueueDepthLimit, bool CpuKernels)
{
    /// <summary>Where <see cref="Gemm"/> came from, for `cnn providers`.</summary>
    public string GemmOrigin { get; init; } = "device default";

    /// <param name="device">The device the tuning is for.</param>
    /// <param name="gemmOverride">GEMM tiles from configuration, or null for the device's default.</param>
    /// <param name="kernelStyle">"cpu" or "gpu" to force the launch shapes and kernel forms of that device class (tuning, and testing the GPU forms on a CPU device); null or "auto" follows the device.</param>
    public static ClTuning For(ClDevice device, string? gemmOverride, string? kernelStyle = null)
    {
        bool cpu = (kernelStyle?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "auto" => device.IsCpu && !device.IsGpu,
            "cpu" => true,
            "gpu" => false,
            _ => throw new ArgumentException($"Compute:OpenCl:KernelStyle is '{kernelStyle}'; use auto, cpu or gpu."),
        };
        var gemm = cpu ? GemmTiles.Cpu : GemmTiles.Gpu;
        string origin = cpu ? "CPU default" : "GPU default";
        if (!string.IsNullOrWhiteSpace(gemmOverride))
        {
            gemm = GemmTiles.Parse(gemmOverride, gemm);
            origin = "set by Compute:OpenCl:GemmTiles";
        }
        int limit = device.MaxWorkGroupSize;
        if (limit < 16)
            throw new ArgumentException($"{device.Name} allows work-groups of only {limit} work-items; the kernels need at least 16.");
        if (gemm.LocalX * gemm.LocalY > limit)
            throw new ArgumentException(
                $"GEMM tiles {gemm} need work-groups of {gemm.LocalX * gemm.LocalY} but {device.Name} allows {limit}. Set smaller Compute:OpenCl:GemmTiles.");
        return new ClTuning(gemm,
            ElementwiseLocal: Math.Min(cpu ? 1024 : 256, PowerOfTwoAtMost(limit)),
            ReduceLocal: Math.Min(cpu ? 64 : 256, PowerOfTwoAtMost(limit)),
            QueueDepthLimit: cpu ? 8 : 0,
            CpuKernels: cpu) { GemmOrigin = origin };
    }

    /// <summary>Compiler options for the one program: OpenCL C 1.2 plus the tile defines.</summary>
    public string BuildOptions => string.Create(CultureInfo.InvariantCulture,
        $"-cl-std=CL1.2 {Gemm.BuildOptions} -D REDUCE_WG={ReduceLocal}");

    private static int PowerOfTwoAtMost(int n)
    {
        int p = 1;
        while (p * 2 <= n) p *= 2;
        return p;
    }
}
