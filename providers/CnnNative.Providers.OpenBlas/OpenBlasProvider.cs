using CnnNative.Core;
using CnnNative.Providers.Managed;
using CnnNative.Providers.OpenBlas.Interop;

namespace CnnNative.Providers.OpenBlas;

/// <summary>
/// The managed provider with its matrix product replaced by OpenBLAS's <c>cblas_sgemm</c>
/// (the layers' GEMMs and the im2col convolution algorithm's). Every other operation (im2col,
/// pooling, elementwise, optimizers, the direct and Winograd convolution algorithms and the
/// per-image weight-gradient GEMMs, which run inside the managed worker team) is the managed kernel,
/// on the same 64-byte aligned buffers, so tensors pass to OpenBLAS without a copy.
/// Validation happens once in <see cref="ComputeProvider"/> before <see cref="GemmCore"/>:
/// OpenBLAS itself would only print a complaint about a bad argument and return.
/// <para>Two thread teams could share the cores: OpenBLAS's workers (<c>Compute:OpenBlas:Threads</c>)
/// during a GEMM and the managed worker pool (<c>Compute:OpenBlas:KernelThreads</c>) for
/// everything else. They never compute at the same time, but OpenBLAS's idle workers keep
/// spinning long after each call, so by default the cores go to one team only
/// (<see cref="OpenBlasSettings.DefaultBlasThreads"/> has the measurements).</para>
/// </summary>
public sealed class OpenBlasProvider : ManagedProvider
{
    private readonly OpenBlasLibraryInfo _library;
    private readonly int _requestedThreads;
    private ProviderInfo? _info;

    internal OpenBlasProvider(OpenBlasLibraryInfo library, int blasThreads, int kernelThreads)
        : base(kernelThreads)
    {
        _library = library;
        _requestedThreads = blasThreads;
        OpenBlasGemm.UseThreads(blasThreads);
        // OpenBLAS clamps to its compiled MAX_THREADS; report what it actually runs.
        BlasThreads = OpenBlasNative.openblas_get_num_threads();
    }

    /// <inheritdoc/>
    public override string Name => "openblas";

    /// <summary>Threads OpenBLAS runs a GEMM on (<c>Compute:OpenBlas:Threads</c>).</summary>
    public int BlasThreads { get; }

    /// <inheritdoc/>
    public override unsafe ProviderInfo Info => _info ??= Describe();

    private unsafe ProviderInfo Describe()
    {
        var managed = base.Info;
        var details = new Dictionary<string, string>
        {
            ["OpenBLAS"] = _library.Config,
            ["version"] = OpenBlasBuild.Version(_library.Config),
            ["core"] = OpenBlasNative.Text(OpenBlasNative.openblas_get_corename()),
            ["threading"] = OpenBlasBuild.ParallelMode(OpenBlasNative.openblas_get_parallel()),
            ["OpenBLAS threads"] = BlasThreads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["library"] = _library.File + " (" + _library.Origin + ")",
            ["managed kernel threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in managed.Details)
            if (key != "GEMM") details.TryAdd(key, value);
        return new ProviderInfo(Name, managed.Device, BlasThreads, details);
    }

    /// <inheritdoc/>
    protected override unsafe void GemmCore(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        OpenBlasGemm.UseThreads(_requestedThreads);
        OpenBlasGemm.RowMajor(transA, transB, m, n, k, alpha, Ptr(a), Ptr(b), beta, Ptr(c));
    }

    /// <summary>The im2col convolution algorithm's product through <c>cblas_sgemm</c> too.</summary>
    private protected override unsafe void ConvolutionGemm(Transpose transA, Transpose transB, int m, int n, int k, float* a, float* b, float* c)
    {
        OpenBlasGemm.UseThreads(_requestedThreads);
        OpenBlasGemm.RowMajor(transA, transB, m, n, k, 1f, a, b, 0f, c);
    }
}
