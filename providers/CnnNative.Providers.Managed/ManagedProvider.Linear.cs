using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed;

// GEMM and the bias kernels; also where the reusable work objects are created.
public partial class ManagedProvider
{
    private BiasWork _bias = null!;
    private SumRowsWork _sumRows = null!;
    private NativeScratch[] _scratch = null!;

    private void InitializeWork()
    {
        _scratch = new NativeScratch[Threads];
        for (int i = 0; i < _scratch.Length; i++) _scratch[i] = new NativeScratch();
        _elementwise = new ElementwiseWork();
        _bias = new BiasWork();
        _sumRows = new SumRowsWork(_scratch);
        _im2col = new Im2ColWork(_scratch);
        _pooling = new PoolWork();
        _transpose = new TransposeWork();
        _transposeSum = new TransposeSumWork(_scratch);
        _directConv = new DirectConvWork(_scratch, Simd == SimdWidth.Vector512);
        _winograd = new WinogradWork(_scratch, _gemm);
        _imageWeightGradient = new ImageGemmWeightGradientWork(_scratch, _gemm);
        _batchNorm = new BatchNormWork(_scratch);
    }

    private void DisposeScratch()
    {
        foreach (var s in _scratch) s.Dispose();
        DisposeConvolutionScratch();
    }

    /// <summary>
    /// Row-major C = alpha·op(A)·op(B) + beta·C with our packed SGEMM. A derived provider
    /// (OpenBLAS) overrides this alone; the leading dimensions follow from the transposes:
    /// lda = transA ? m : k, ldb = transB ? k : n, ldc = n.
    /// </summary>
    protected override unsafe void GemmCore(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        int lda = transA == Transpose.NoTranspose ? k : m;
        int ldb = transB == Transpose.NoTranspose ? n : k;
        _gemm.Run(transA, transB, m, n, k, alpha, Ptr(a), lda, Ptr(b), ldb, beta, Ptr(c), n);
    }

    private unsafe void RunBias(BiasKind kind, float* x, float* bias, int items, long elements)
    {
        _bias.Kind = kind;
        _bias.X = x;
        _bias.Bias = bias;
        _bias.Count = items;
        int parts = elements < ParallelElements ? 1 : Math.Min(Threads, items);
        Pool.Run(_bias, parts);
    }

    /// <inheritdoc/>
    protected override unsafe void AddRowBiasCore(Tensor x, Tensor bias, int rows, int cols)
    {
        _bias.Cols = cols;
        RunBias(BiasKind.AddRowBias, Ptr(x), Ptr(bias), rows, (long)rows * cols);
    }

    /// <inheritdoc/>
    protected override unsafe void AddChannelBiasCore(Tensor x, Tensor bias, int batch, int channels, int spatial)
    {
        _bias.Batch = batch; _bias.Channels = channels; _bias.Spatial = spatial;
        RunBias(BiasKind.AddChannelBias, Ptr(x), Ptr(bias), batch * channels, (long)batch * channels * spatial);
    }

    /// <inheritdoc/>
    protected override unsafe void SumChannelsCore(Tensor dy, Tensor db, int batch, int channels, int spatial)
    {
        _bias.Batch = batch; _bias.Channels = channels; _bias.Spatial = spatial;
        RunBias(BiasKind.SumChannels, Ptr(dy), Ptr(db), channels, (long)batch * channels * spatial);
    }

    /// <inheritdoc/>
    protected override unsafe void SumRowsCore(Tensor dy, Tensor db, int rows, int cols)
    {
        var w = _sumRows;
        w.Dy = Ptr(dy);
        w.Rows = rows;
        w.Cols = cols;
        int parts = (long)rows * cols < ParallelElements ? 1 : Math.Min(Threads, rows);
        Pool.Run(w, parts);
        PartialSums.Reduce(w, parts, 0, cols, Ptr(db));
    }
}
