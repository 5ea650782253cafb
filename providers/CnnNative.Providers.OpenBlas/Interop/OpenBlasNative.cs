using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenBlas.Interop;

/// <summary>
/// The OpenBLAS entry points we call, names verbatim from <c>cblas.h</c> / <c>openblas_config.h</c>.
/// The library name is a logical token: <see cref="OpenBlasLibrary"/>'s resolver maps it to
/// the one handle the factory loaded, so these stubs never probe the file system themselves.
/// Integers are the LP64 <c>blasint</c> (32-bit); an ILP64 build is refused at load
/// (<see cref="OpenBlasBuild.IsIlp64"/>), because it would read our 32-bit sizes as garbage.
/// </summary>
internal static partial class OpenBlasNative
{
    public const string LibraryName = "openblas";

    // Any use of a stub registers the resolver first, even from code that never went through
    // the factory (a benchmark's raw baseline), so the runtime never probes "openblas" blindly.
    static OpenBlasNative() => OpenBlasLibrary.EnsureResolver();

    // enum CBLAS_ORDER / CBLAS_TRANSPOSE values from cblas.h.
    public const int CblasRowMajor = 101;
    public const int CblasNoTrans = 111;
    public const int CblasTrans = 112;

    /// <summary>C = alpha·op(A)·op(B) + beta·C. No return value: bad arguments are printed by xerbla, so callers validate first.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static unsafe partial void cblas_sgemm(int order, int transA, int transB,
        int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial void openblas_set_num_threads(int numThreads);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial int openblas_get_num_threads();

    /// <summary>A static string such as "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"; never freed.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static unsafe partial byte* openblas_get_config();

    /// <summary>The kernel family in use ("Haswell", "SkylakeX", "Zen"…); a static string, never freed.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static unsafe partial byte* openblas_get_corename();

    /// <summary>0 = sequential build, 1 = pthreads, 2 = OpenMP.</summary>
    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    public static partial int openblas_get_parallel();

    /// <summary>Exports a library must have before we bind these stubs to it (checked by <see cref="OpenBlasLibrary"/>).</summary>
    public static readonly string[] RequiredExports =
    [
        nameof(cblas_sgemm), nameof(openblas_set_num_threads), nameof(openblas_get_num_threads),
        nameof(openblas_get_config), nameof(openblas_get_corename), nameof(openblas_get_parallel),
    ];

    /// <summary>A C string owned by the library, as managed text ("" for null).</summary>
    public static unsafe string Text(byte* s) => s is null ? "" : Marshal.PtrToStringUTF8((nint)s) ?? "";
}
