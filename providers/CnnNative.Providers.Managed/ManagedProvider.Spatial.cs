using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed;

// im2col/col2im parallel over images, pooling over (n, c) planes, the transposes over row bands.
public partial class ManagedProvider
{
    // Elements touched below which a spatial kernel stays on one thread.
    private const int ParallelSpatial = 1 << 15;

    private Im2ColWork _im2col = null!;
    private PoolWork _pooling = null!;
    private TransposeWork _transpose = null!;
    private TransposeSumWork _transposeSum = null!;
    private DirectConvWork _directConv = null!;

    /// <summary>Runs <paramref name="work"/> over <paramref name="items"/> items, in parallel when <paramref name="elements"/> make it pay.</summary>
    private void RunItems(RangeWork work, int items, long elements)
    {
        work.Count = items;
        int parts = elements < ParallelSpatial ? 1 : Math.Min(Threads, items);
        Pool.Run(work, parts);
    }

    /// <summary>col = im2col(x), or (backward) x = col2im(col).</summary>
    private unsafe void RunIm2Col(float* x, in ConvGeometry geometry, float* col, bool backward)
    {
        _im2col.Backward = backward;
        _im2col.X = x;
        _im2col.Col = col;
        _im2col.G = geometry;
        _im2col.Count = geometry.Batch;
        int parts = geometry.ColumnLength < ParallelSpatial ? 1 : Math.Min(Threads, geometry.Batch);
        Pool.Run(_im2col, parts);
    }

    /// <inheritdoc/>
    protected override unsafe void Im2ColCore(Tensor x, in ConvGeometry geometry, Tensor col) =>
        RunIm2Col(Ptr(x), geometry, Ptr(col), backward: false);

    /// <inheritdoc/>
    protected override unsafe void Col2ImCore(Tensor col, in ConvGeometry geometry, Tensor dx) =>
        RunIm2Col(Ptr(dx), geometry, Ptr(col), backward: true);

    private unsafe void RunPool(PoolKind kind, in PoolGeometry g, float* x, float* y, float* argmax)
    {
        _pooling.Kind = kind;
        _pooling.X = x; _pooling.Y = y; _pooling.Argmax = argmax;
        _pooling.G = g;
        RunItems(_pooling, g.Batch * g.Channels, g.InputLength + (long)g.OutputLength * g.PoolHeight * g.PoolWidth);
    }

    /// <inheritdoc/>
    protected override unsafe void MaxPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax) =>
        RunPool(PoolKind.MaxForward, geometry, Ptr(x), Ptr(y), Ptr(argmax));

    /// <inheritdoc/>
    protected override unsafe void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx) =>
        RunPool(PoolKind.MaxBackward, geometry, Ptr(dx), Ptr(dy), Ptr(argmax));

    /// <inheritdoc/>
    protected override unsafe void AvgPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y) =>
        RunPool(PoolKind.AvgForward, geometry, Ptr(x), Ptr(y), null);

    /// <inheritdoc/>
    protected override unsafe void AvgPoolBackwardCore(Tensor dy, in PoolGeometry geometry, Tensor dx) =>
        RunPool(PoolKind.AvgBackward, geometry, Ptr(dx), Ptr(dy), null);

    /// <inheritdoc/>
    protected override unsafe void BatchedTransposeCore(Tensor src, int batch, int rows, int cols, Tensor dst) =>
        RunTranspose(Ptr(src), batch, rows, cols, Ptr(dst), null);

    /// <inheritdoc/>
    protected override unsafe void BatchedTransposeAddChannelBiasCore(Tensor src, int batch, int rows, int cols, Tensor bias, Tensor dst) =>
        RunTranspose(Ptr(src), batch, rows, cols, Ptr(dst), Ptr(bias));

    private unsafe void RunTranspose(float* src, int batch, int rows, int cols, float* dst, float* bias)
    {
        _transpose.Src = src;
        _transpose.Dst = dst;
        _transpose.Bias = bias;
        _transpose.Rows = rows;
        _transpose.Cols = cols;
        RunItems(_transpose, batch * _transpose.BandsPerMatrix, (long)batch * rows * cols);
    }

    /// <inheritdoc/>
    protected override unsafe void BatchedTransposeSumChannelsCore(Tensor src, int batch, int rows, int cols, Tensor dst, Tensor sums) =>
        RunTransposeSum(Ptr(src), batch, rows, cols, Ptr(dst), Ptr(sums));

    private unsafe void RunTransposeSum(float* src, int batch, int rows, int cols, float* dst, float* sums)
    {
        var w = _transposeSum;
        w.Src = src;
        w.Dst = dst;
        w.Batch = batch;
        w.Rows = rows;
        w.Cols = cols;
        int parts = (long)batch * rows * cols < ParallelSpatial ? 1 : Math.Min(Threads, batch);
        Pool.Run(w, parts);
        PartialSums.Reduce(w, parts, 0, rows, sums);
    }
}
