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

    private void RunImages(in ConvGeometry geometry)
    {
        _im2col.Count = geometry.Batch;
        int parts = geometry.ColumnLength < ParallelSpatial ? 1 : Math.Min(Threads, geometry.Batch);
        Pool.Run(_im2col, parts);
    }

    protected override unsafe void Im2ColCore(Tensor x, in ConvGeometry geometry, Tensor col)
    {
        _im2col.Backward = false;
        _im2col.X = Ptr(x);
        _im2col.Col = Ptr(col);
        _im2col.G = geometry;
        RunImages(geometry);
    }

    protected override unsafe void Col2ImCore(Tensor col, in ConvGeometry geometry, Tensor dx)
    {
        _im2col.Backward = true;
        _im2col.X = Ptr(dx);
        _im2col.Col = Ptr(col);
        _im2col.G = geometry;
        RunImages(geometry);
    }

    /// <summary>
    /// Direct when the patch is small enough that im2col + GEMM is mostly memory passes: at most
    /// 32 values (C·KH·KW), stride 1, rows of at least 8 outputs (padding is fine: the kernels
    /// then read a zero-padded copy of each image). Measured on SimpleConvNet's 1→30 5×5 layer
    /// and vgg-small's 1→32 3×3 pad 1 layer: see README "Results".
    /// </summary>
    public override bool PrefersDirectConvolution(in ConvGeometry geometry) =>
        DirectConvWork.Vectorized(geometry) && geometry.PatchSize <= 32;

    protected override unsafe void ConvolutionForwardCore(Tensor x, in ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y)
    {
        var w = _directConv;
        w.Gradient = false;
        w.X = Ptr(x); w.Weights = Ptr(weights); w.Bias = Ptr(bias); w.Y = Ptr(y);
        w.G = g; w.Filters = filters;
        Pool.Run(w, DirectParts(g, filters));
    }

    protected override unsafe void ConvolutionWeightGradientCore(Tensor dy, Tensor x, in ConvGeometry g, Tensor dWeights, Tensor dBias, int filters)
    {
        var w = _directConv;
        w.Gradient = true;
        w.X = Ptr(x); w.Y = Ptr(dy);
        w.G = g; w.Filters = filters;
        int parts = DirectParts(g, filters);
        Pool.Run(w, parts);
        // The pieces' sums hold [filters, patch] weight gradients, then [filters] bias gradients.
        int weights = filters * g.PatchSize;
        PartialSums.Reduce(w, parts, 0, weights, Ptr(dWeights));
        PartialSums.Reduce(w, parts, weights, filters, Ptr(dBias));
    }

    private int DirectParts(in ConvGeometry g, int filters) =>
        (long)g.ColumnRows * filters * g.PatchSize < ParallelSpatial ? 1 : Math.Min(Threads, g.Batch);

    private unsafe void RunPool(PoolKind kind, in PoolGeometry g, float* x, float* y, float* argmax)
    {
        _pooling.Kind = kind;
        _pooling.X = x; _pooling.Y = y; _pooling.Argmax = argmax;
        _pooling.G = g;
        RunItems(_pooling, g.Batch * g.Channels, g.InputLength + (long)g.OutputLength * g.PoolHeight * g.PoolWidth);
    }

    protected override unsafe void MaxPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax) =>
        RunPool(PoolKind.MaxForward, geometry, Ptr(x), Ptr(y), Ptr(argmax));

    protected override unsafe void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx) =>
        RunPool(PoolKind.MaxBackward, geometry, Ptr(dx), Ptr(dy), Ptr(argmax));

    protected override unsafe void AvgPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y) =>
        RunPool(PoolKind.AvgForward, geometry, Ptr(x), Ptr(y), null);

    protected override unsafe void AvgPoolBackwardCore(Tensor dy, in PoolGeometry geometry, Tensor dx) =>
        RunPool(PoolKind.AvgBackward, geometry, Ptr(dx), Ptr(dy), null);

    protected override unsafe void BatchedTransposeCore(Tensor src, int batch, int rows, int cols, Tensor dst) =>
        RunTranspose(Ptr(src), batch, rows, cols, Ptr(dst), null);

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

    protected override unsafe void BatchedTransposeSumChannelsCore(Tensor src, int batch, int rows, int cols, Tensor dst, Tensor sums)
    {
        var w = _transposeSum;
        w.Src = Ptr(src);
        w.Dst = Ptr(dst);
        w.Batch = batch;
        w.Rows = rows;
        w.Cols = cols;
        int parts = (long)batch * rows * cols < ParallelSpatial ? 1 : Math.Min(Threads, batch);
        Pool.Run(w, parts);
        PartialSums.Reduce(w, parts, 0, rows, Ptr(sums));
    }
}
