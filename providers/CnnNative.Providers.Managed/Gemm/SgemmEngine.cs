using System.Numerics.Tensors;
using CnnNative.Core;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Gemm;

/// <summary>Row-major SGEMM on the worker team (first, simple version: rows of C in parallel).</summary>
internal sealed unsafe class SgemmEngine : IDisposable
{
    private readonly WorkerPool _pool;
    private readonly RowsWork _work = new();

    public SgemmEngine(WorkerPool pool, SimdWidth simd)
    {
        _pool = pool;
        Simd = simd;
    }

    public SimdWidth Simd { get; }

    public string KernelDescription => "row-parallel axpy kernel";

    public void Run(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        _work.TA = ta; _work.TB = tb; _work.M = m; _work.N = n; _work.K = k;
        _work.Alpha = alpha; _work.Beta = beta;
        _work.A = a; _work.Lda = lda; _work.B = b; _work.Ldb = ldb; _work.C = c; _work.Ldc = ldc;
        _work.Count = m;
        long flops = (long)m * n * k;
        _pool.Run(_work, flops < 1 << 16 ? 1 : Math.Min(_pool.Threads, m));
    }

    public void Dispose() { }

    private sealed class RowsWork : RangeWork
    {
        public Transpose TA, TB;
        public int M, N, K, Lda, Ldb, Ldc;
        public float Alpha, Beta;
        public float* A, B, C;

        protected override void ExecuteRange(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                var row = new Span<float>(C + (long)i * Ldc, N);
                if (Beta == 0f) row.Clear();
                else TensorPrimitives.Multiply(row, Beta, row);
                for (int p = 0; p < K; p++)
                {
                    float aip = TA == Transpose.NoTranspose ? A[(long)i * Lda + p] : A[(long)p * Lda + i];
                    float s = Alpha * aip;
                    if (TB == Transpose.NoTranspose)
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(B + (long)p * Ldb, N), s, row, row);
                    else
                        for (int j = 0; j < N; j++) row[j] += s * B[(long)j * Ldb + p];
                }
            }
        }
    }
}
