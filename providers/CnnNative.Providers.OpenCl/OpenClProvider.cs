using System.Diagnostics;
using System.Globalization;
using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// The contract on one OpenCL device. Tensors are <c>cl_mem</c> buffers and stay on the
/// device: only <see cref="ComputeProvider.Upload(ReadOnlySpan{float}, Tensor)"/> and
/// <see cref="ComputeProvider.Download(Tensor, Span{float})"/> move data, and both are
/// counted (<see cref="Transfers"/>), as are the live buffers (<see cref="LiveBuffers"/>).
/// Operations are enqueued on one in-order queue and return at once; a download (or
/// <see cref="ComputeProvider.Synchronize"/>) waits for them. All kernels are one program
/// (native/opencl/*.cl), compiled on first use and kept for the provider's lifetime.
/// Like a device stream, a provider takes operations from one thread at a time.
/// </summary>
public sealed partial class OpenClProvider : ComputeProvider
{
    private readonly ClRuntime _runtime;
    private readonly ClTuning _tuning;
    private readonly LabelCheck _labelCheck;
    private KernelSet? _kernels;
    private int _liveBuffers;
    private long _liveTensorBytes;
    private long _uploads, _uploadedBytes, _downloads, _downloadedBytes;

    internal OpenClProvider(ClRuntime runtime, ClTuning tuning)
    {
        _runtime = runtime;
        _tuning = tuning;
        runtime.QueueDepthLimit = tuning.QueueDepthLimit;
        _labelCheck = new LabelCheck(runtime);
        Info = Describe(runtime.Device, tuning);
    }

    /// <inheritdoc/>
    public override string Name => OpenClProviderFactory.ProviderName;

    /// <inheritdoc/>
    public override ProviderInfo Info { get; }

    /// <summary>Device buffers allocated and not yet disposed.</summary>
    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    /// <summary>
    /// Device memory this provider holds: live tensors plus its GEMM workspaces (which only
    /// grow to the largest product seen). Flat across steady-state training steps.
    /// </summary>
    public long LiveBytes => Interlocked.Read(ref _liveTensorBytes) + (_packedB?.Bytes ?? 0) + (_slices?.Bytes ?? 0);

    /// <summary>Host↔device traffic of tensors so far (the 8-byte label-error read queued after a loss kernel, see LabelCheck, is not counted).</summary>
    public TransferStatistics Transfers => new(
        Interlocked.Read(ref _uploads), Interlocked.Read(ref _uploadedBytes),
        Interlocked.Read(ref _downloads), Interlocked.Read(ref _downloadedBytes));

    /// <summary>How long compiling the program took (zero until the first kernel runs).</summary>
    public TimeSpan ProgramBuildTime { get; private set; }

    /// <summary>Compiles the kernels now rather than on the first operation (benchmarks call this before measuring).</summary>
    public void EnsureCompiled()
    {
        ThrowIfDisposed();
        _ = Kernels;
    }

    internal ClRuntime Runtime => _runtime;

    internal ClTuning Tuning => _tuning;

    private KernelSet Kernels => _kernels ?? BuildKernels();

    private KernelSet BuildKernels()
    {
        var clock = Stopwatch.StartNew();
        _kernels = new KernelSet(_runtime, _tuning);
        ProgramBuildTime = clock.Elapsed;
        return _kernels;
    }

    private KernelLaunch Launch(ClKernelHandle kernel) => new(_runtime, kernel);

    private static ClMemHandle MemOf(Tensor t) => ((ClBuffer)t.Buffer).Mem;

    internal void OnBufferReleased(ClBuffer buffer)
    {
        Interlocked.Decrement(ref _liveBuffers);
        Interlocked.Add(ref _liveTensorBytes, -(long)buffer.Length * sizeof(float));
    }

    // ── memory ─────────────────────────────────────────────────────────────────────────────

    /// <inheritdoc/>
    protected override DeviceBuffer AllocateBufferCore(int length)
    {
        var mem = _runtime.CreateBuffer((long)length * sizeof(float));
        try
        {
            _runtime.Fill(mem, 0f, length);
        }
        catch
        {
            mem.Dispose();
            throw;
        }
        Interlocked.Increment(ref _liveBuffers);
        Interlocked.Add(ref _liveTensorBytes, (long)length * sizeof(float));
        return new ClBuffer(this, mem, length);
    }

    /// <inheritdoc/>
    protected override void UploadCore(ReadOnlySpan<float> src, Tensor dst)
    {
        if (src.IsEmpty) return;
        _runtime.Write(MemOf(dst), src);
        Interlocked.Increment(ref _uploads);
        Interlocked.Add(ref _uploadedBytes, (long)src.Length * sizeof(float));
    }

    /// <inheritdoc/>
    protected override void DownloadCore(Tensor src, Span<float> dst)
    {
        if (dst.IsEmpty) return;
        _runtime.Read(MemOf(src), dst);
        Interlocked.Increment(ref _downloads);
        Interlocked.Add(ref _downloadedBytes, (long)dst.Length * sizeof(float));
        _labelCheck.ThrowIfReported();
    }

    /// <inheritdoc/>
    protected override void CopyCore(Tensor src, Tensor dst, int length) => _runtime.Copy(MemOf(src), MemOf(dst), length);

    /// <inheritdoc/>
    protected override void FillCore(Tensor x, float value) => _runtime.Fill(MemOf(x), value, x.Length);

    /// <inheritdoc/>
    protected override void SynchronizeCore()
    {
        _runtime.Finish();
        _labelCheck.ThrowIfReported();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _packedB?.Dispose();
        _slices?.Dispose();
        _kernels?.Dispose();
        if (!_runtime.Queue.IsClosed) _ = _runtime.Api.Finish(_runtime.QueueId);   // the label check's queued read writes host memory
        _labelCheck.Dispose();
        _runtime.Dispose();
    }

    private static ProviderInfo Describe(ClDevice d, ClTuning tuning) => new(
        OpenClProviderFactory.ProviderName,
        d.Name,
        d.ComputeUnits,
        new Dictionary<string, string>
        {
            ["platform"] = $"{d.PlatformName} ({d.PlatformVersion})",
            ["device type"] = d.TypeName,
            ["compute units"] = d.ComputeUnits.ToString(CultureInfo.InvariantCulture),
            ["driver version"] = d.DriverVersion,
            ["device version"] = d.DeviceVersion,
            ["OpenCL C"] = d.OpenClCVersion,
            ["global memory"] = $"{d.GlobalMemory / (1024 * 1024)} MiB",
            ["max allocation"] = $"{d.MaxAllocation / (1024 * 1024)} MiB",
            ["local memory"] = $"{d.LocalMemory / 1024} KiB",
            ["library"] = OpenClLibrary.Loaded is { } lib ? $"{lib.File} ({lib.Origin})" : "(unknown)",
            ["binding"] = "Silk.NET.OpenCL",
            ["gemm tiles"] = $"{tuning.Gemm} ({tuning.GemmOrigin})",
        });
}
