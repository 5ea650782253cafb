using System.Runtime.InteropServices;
using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed;

/// <summary>
/// The default provider: every operation in C# on aligned host memory, vectorised with
/// Vector512 (Vector256 where AVX-512 is missing) and <c>TensorPrimitives</c>, our own packed
/// SGEMM, and a persistent worker team instead of <c>Parallel.For</c>, so that a warm
/// training step allocates nothing on the managed heap.
/// <para>Not sealed: a provider that only swaps the matrix product (OpenBLAS) derives from this
/// one, overrides <see cref="GemmCore"/> and reuses every other kernel, the worker team
/// (<see cref="Pool"/>) and the buffers (<see cref="Ptr"/>).</para>
/// <para>One instance is one stream of work: call it from one thread at a time.</para>
/// </summary>
public partial class ManagedProvider : ComputeProvider
{
    private readonly HashSet<NativeBuffer> _live = [];
    private readonly Lock _liveLock = new();
    private readonly SgemmEngine _gemm;

    /// <summary>A provider with one thread per logical processor.</summary>
    public ManagedProvider() : this(Environment.ProcessorCount) { }

    /// <summary>A provider computing on <paramref name="threads"/> threads (the caller plus threads − 1 workers).</summary>
    public ManagedProvider(int threads) : this(threads, SimdWidth.Best) { }

    /// <summary>
    /// A provider restricted to a vector width, so tests can run the Vector256 kernels on an
    /// AVX-512 machine.
    /// </summary>
    internal ManagedProvider(int threads, SimdWidth simd)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads,
                "The managed provider needs at least one thread; set Compute:Managed:Threads to 1 or more (or leave it out to use every processor).");
        Simd = simd == SimdWidth.Best ? SimdWidthInfo.Detect() : simd;
        Pool = new WorkerPool(threads);
        _gemm = new SgemmEngine(Pool, Simd);
        InitializeWork();
    }

    /// <inheritdoc/>
    public override string Name => "managed";

    /// <inheritdoc/>
    public override ProviderInfo Info => _info ??= new ProviderInfo(Name, CpuInfo.ModelName, Threads, new Dictionary<string, string>
    {
        ["SIMD"] = SimdWidthInfo.Describe(Simd),
        [".NET"] = RuntimeInformation.FrameworkDescription,
        ["GEMM"] = "managed packed SGEMM, " + _gemm.KernelDescription,
    });

    private ProviderInfo? _info;

    /// <summary>Threads that run kernels, the caller included.</summary>
    public int Threads => Pool.Threads;

    /// <summary>The vector width the kernels use.</summary>
    internal SimdWidth Simd { get; }

    /// <summary>
    /// The worker team; a derived provider in a friend assembly (OpenBLAS, the benchmarks' profiler)
    /// may run its own <see cref="IParallelWork"/> on it. Internal: the threading is not public API.
    /// </summary>
    internal WorkerPool Pool { get; }

    /// <summary>Managed bytes ever allocated by the worker threads (diagnostics for the zero-allocation tests).</summary>
    internal long WorkerAllocatedBytes => Pool.WorkerAllocatedBytes;

    /// <summary>The first element of a tensor of this provider (64-byte aligned).</summary>
    private protected static unsafe float* Ptr(Tensor tensor) => ((NativeBuffer)tensor.Buffer).Pointer;

    // ── memory ─────────────────────────────────────────────────────────────────────────────

    /// <inheritdoc/>
    protected override DeviceBuffer AllocateBufferCore(int length)
    {
        var buffer = new NativeBuffer(this, length);
        lock (_liveLock) _live.Add(buffer);
        return buffer;
    }

    /// <summary>Called by a buffer that frees itself.</summary>
    internal void Forget(NativeBuffer buffer)
    {
        lock (_liveLock) _live.Remove(buffer);
    }

    /// <inheritdoc/>
    protected override unsafe void UploadCore(ReadOnlySpan<float> src, Tensor dst) =>
        src.CopyTo(new Span<float>(Ptr(dst), src.Length));

    /// <inheritdoc/>
    protected override unsafe void UploadCore(ReadOnlySpan<double> src, Tensor dst)
    {
        float* d = Ptr(dst);
        for (int i = 0; i < src.Length; i++) d[i] = (float)src[i];
    }

    /// <inheritdoc/>
    protected override unsafe void DownloadCore(Tensor src, Span<float> dst) =>
        new ReadOnlySpan<float>(Ptr(src), dst.Length).CopyTo(dst);

    /// <inheritdoc/>
    protected override unsafe void DownloadCore(Tensor src, Span<double> dst)
    {
        float* s = Ptr(src);
        for (int i = 0; i < dst.Length; i++) dst[i] = s[i];
    }

    /// <inheritdoc/>
    protected override unsafe void CopyCore(Tensor src, Tensor dst, int length) =>
        new ReadOnlySpan<float>(Ptr(src), length).CopyTo(new Span<float>(Ptr(dst), length));

    /// <inheritdoc/>
    protected override unsafe void FillCore(Tensor x, float value) =>
        new Span<float>(Ptr(x), x.Length).Fill(value);

    /// <inheritdoc/>
    protected override void SynchronizeCore() { }

    // ── disposal ───────────────────────────────────────────────────────────────────────────

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Pool.Dispose();
            _gemm.Dispose();
            DisposeScratch();
        }
        NativeBuffer[] live;
        lock (_liveLock)
        {
            live = [.. _live];
            _live.Clear();
        }
        foreach (var buffer in live) buffer.Free();
        base.Dispose(disposing);
    }
}
