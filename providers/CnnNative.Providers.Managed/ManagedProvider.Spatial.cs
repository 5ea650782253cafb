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
        float* s = Ptr(sums);
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int p = 0; p < parts; p++) sum += w.Partial(p)[i];
            s[i] = (float)sum;
        }
    }
}
