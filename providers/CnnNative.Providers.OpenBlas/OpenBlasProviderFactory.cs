using CnnNative.Core;
using CnnNative.Providers.OpenBlas.Interop;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.OpenBlas;

/// <summary>
/// Starts the <c>openblas</c> provider: finds and checks the library (every attempt is listed
/// when none loads), applies <c>Compute:OpenBlas:Threads</c> and <c>Compute:OpenBlas:ConvolutionAlgorithm</c>
/// (as the managed provider's: <c>auto</c> measures per layer geometry, with im2col on <c>cblas_sgemm</c> among
/// the candidates), and returns a provider whose GEMM is <c>cblas_sgemm</c> and whose other operations are the managed kernels.
/// </summary>
internal sealed class OpenBlasProviderFactory : IComputeProviderFactory
{
    public string Name => "openblas";

    public string Description => "OpenBLAS cblas_sgemm for matrix products, managed SIMD kernels for the rest";

    public IComputeProvider Create(IConfiguration section)
    {
        var settings = OpenBlasSettings.From(section);
        var library = OpenBlasLibrary.Load(settings.Library, AppContext.BaseDirectory);
        return new OpenBlasProvider(library, settings.Threads, settings.KernelThreads) { ConvolutionAlgorithm = settings.ConvolutionAlgorithm };
    }
}
