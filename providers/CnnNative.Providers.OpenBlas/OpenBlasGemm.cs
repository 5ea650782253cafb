using CnnNative.Core;
using CnnNative.Providers.OpenBlas.Interop;

namespace CnnNative.Providers.OpenBlas;

/// <summary>
/// Our row-major GEMM contract mapped onto <c>cblas_sgemm</c>, and the process-wide OpenBLAS
/// thread count. Arguments are trusted: the validating base class has checked sizes, lengths
/// and overlap, because OpenBLAS would only print a complaint and return.
/// </summary>
internal static class OpenBlasGemm
{
    private static int s_threads; // what openblas_set_num_threads was last given by us (0 = never)

    /// <summary>
    /// C (m×n, row length n) = alpha·op(A)·op(B) + beta·C. Leading dimensions are the stored
    /// row lengths: A is stored m×k (lda = k) or, transposed, k×m (lda = m); B is stored k×n
    /// (ldb = n) or, transposed, n×k (ldb = k).
    /// </summary>
    public static unsafe void RowMajor(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, float* b, float beta, float* c)
    {
        int lda = transA == Transpose.NoTranspose ? k : m;
        int ldb = transB == Transpose.NoTranspose ? n : k;
        OpenBlasNative.cblas_sgemm(OpenBlasNative.CblasRowMajor, Cblas(transA), Cblas(transB),
            m, n, k, alpha, a, lda, b, ldb, beta, c, n);
    }

    private static int Cblas(Transpose t) => t == Transpose.NoTranspose ? OpenBlasNative.CblasNoTrans : OpenBlasNative.CblasTrans;

    /// <summary>
    /// Makes OpenBLAS use <paramref name="threads"/> workers. The setting is global to the
    /// library, so each provider re-applies its own before a GEMM when another provider in the
    /// process changed it; the common case is one integer comparison.
    /// </summary>
    public static void UseThreads(int threads)
    {
        if (Volatile.Read(ref s_threads) == threads) return;
        OpenBlasNative.openblas_set_num_threads(threads);
        Volatile.Write(ref s_threads, threads);
    }
}
