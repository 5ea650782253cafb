using CnnNative.Core;

namespace CnnNative.Bench.OpenBlas;

/// <summary>
/// One SimpleConvNet training step (conv 30×5×5 → ReLU → max-pool 2×2 → affine 4320→100 → ReLU
/// → affine 100→10 → softmax cross-entropy, backward, SGD) written directly against the
/// provider contract, so it measures how GEMMs and the managed kernels interleave without
/// depending on the layer library. The GEMM shapes are those of the real network at batch N.
/// </summary>
public sealed class SimpleConvNetStep : IDisposable
{
    private const int Filters = 30, Kernel = 5, Hidden = 100, Classes = 10;

    private readonly IComputeProvider _p;
    private readonly ConvGeometry _conv;
    private readonly PoolGeometry _pool;
    private readonly int _n, _spatial, _pooled;
    private readonly List<Tensor> _all = [];
    private readonly Tensor _x, _labels, _col, _w, _b, _convOut, _act, _pooledOut, _argmax;
    private readonly Tensor _w1, _b1, _h, _w2, _b2, _logits, _probs, _loss;
    private readonly Tensor _dlogits, _dw2, _db2, _dh, _dw1, _db1, _dpooled, _dact, _dconv, _dy, _dw, _db, _dcol, _dx;

    public SimpleConvNetStep(IComputeProvider provider, int batch)
    {
        _p = provider;
        _n = batch;
        _conv = ConvGeometry.Square(batch, 1, 28, 28, Kernel);
        _spatial = _conv.OutputHeight * _conv.OutputWidth;
        _pool = new PoolGeometry(batch, Filters, _conv.OutputHeight, _conv.OutputWidth, 2, 2, 2, 2);
        _pooled = Filters * (_conv.OutputHeight / 2) * (_conv.OutputWidth / 2);

        var random = new Random(1);
        _x = T(random, 0.5f, batch, 1, 28, 28);
        _labels = New(batch);
        var labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = i % Classes;
        _p.Upload(labels, _labels);
        _col = New(_conv.ColumnRows, _conv.PatchSize);
        _w = T(random, 0.1f, Filters, _conv.PatchSize);
        _b = New(Filters);
        _convOut = New(batch, _spatial, Filters);
        _act = New(batch, Filters, _conv.OutputHeight, _conv.OutputWidth);
        _pooledOut = New(batch, Filters, _conv.OutputHeight / 2, _conv.OutputWidth / 2);
        _argmax = New(_pooledOut.Shape.Dimensions.ToArray());
        _w1 = T(random, 0.02f, _pooled, Hidden);
        _b1 = New(Hidden);
        _h = New(batch, Hidden);
        _w2 = T(random, 0.1f, Hidden, Classes);
        _b2 = New(Classes);
        _logits = New(batch, Classes);
        _probs = New(batch, Classes);
        _loss = New(1);
        _dlogits = New(batch, Classes);
        _dw2 = New(Hidden, Classes);
        _db2 = New(Classes);
        _dh = New(batch, Hidden);
        _dw1 = New(_pooled, Hidden);
        _db1 = New(Hidden);
        _dpooled = New(_pooledOut.Shape.Dimensions.ToArray());
        _dact = New(_act.Shape.Dimensions.ToArray());
        _dconv = New(_act.Shape.Dimensions.ToArray());
        _dy = New(batch, _spatial, Filters);
        _dw = New(Filters, _conv.PatchSize);
        _db = New(Filters);
        _dcol = New(_conv.ColumnRows, _conv.PatchSize);
        _dx = New(batch, 1, 28, 28);
    }

    /// <summary>Floating-point operations of the step's GEMMs (2·m·n·k each).</summary>
    public double GemmFlops =>
        2.0 * (3.0 * _conv.ColumnRows * Filters * _conv.PatchSize + 3.0 * _n * _pooled * Hidden + 3.0 * _n * Hidden * Classes);

    /// <summary>Only the step's nine GEMMs, same shapes and operands, to split a step's time into GEMM and the rest.</summary>
    public void RunGemmsOnly()
    {
        var nt = Transpose.NoTranspose;
        var t = Transpose.Transpose;
        _p.Gemm(nt, t, _conv.ColumnRows, Filters, _conv.PatchSize, 1f, _col, _w, 0f, _convOut);
        _p.Gemm(nt, nt, _n, Hidden, _pooled, 1f, _pooledOut, _w1, 0f, _h);
        _p.Gemm(nt, nt, _n, Classes, Hidden, 1f, _h, _w2, 0f, _logits);
        _p.Gemm(t, nt, Hidden, Classes, _n, 1f, _h, _dlogits, 0f, _dw2);
        _p.Gemm(nt, t, _n, Hidden, Classes, 1f, _dlogits, _w2, 0f, _dh);
        _p.Gemm(t, nt, _pooled, Hidden, _n, 1f, _pooledOut, _dh, 0f, _dw1);
        _p.Gemm(nt, t, _n, _pooled, Hidden, 1f, _dh, _w1, 0f, _dpooled);
        _p.Gemm(t, nt, Filters, _conv.PatchSize, _conv.ColumnRows, 1f, _dy, _col, 0f, _dw);
        _p.Gemm(nt, nt, _conv.ColumnRows, _conv.PatchSize, Filters, 1f, _dy, _w, 0f, _dcol);
        _p.Synchronize();
    }

    public void Run()
    {
        var nt = Transpose.NoTranspose;
        var t = Transpose.Transpose;
        // forward
        _p.Im2Col(_x, _conv, _col);
        _p.Gemm(nt, t, _conv.ColumnRows, Filters, _conv.PatchSize, 1f, _col, _w, 0f, _convOut);
        _p.BatchedTranspose(_convOut, _n, _spatial, Filters, _act);
        _p.AddChannelBias(_act, _b);
        _p.ReluForward(_act, _act);
        _p.MaxPoolForward(_act, _pool, _pooledOut, _argmax);
        _p.Gemm(nt, nt, _n, Hidden, _pooled, 1f, _pooledOut, _w1, 0f, _h);
        _p.AddRowBias(_h, _b1);
        _p.ReluForward(_h, _h);
        _p.Gemm(nt, nt, _n, Classes, Hidden, 1f, _h, _w2, 0f, _logits);
        _p.AddRowBias(_logits, _b2);
        _p.SoftmaxCrossEntropyForward(_logits, _labels, _probs, _loss);
        // backward
        _p.SoftmaxCrossEntropyBackward(_probs, _labels, _dlogits);
        _p.Gemm(t, nt, Hidden, Classes, _n, 1f, _h, _dlogits, 0f, _dw2);
        _p.SumRows(_dlogits, _db2);
        _p.Gemm(nt, t, _n, Hidden, Classes, 1f, _dlogits, _w2, 0f, _dh);
        _p.ReluBackward(_dh, _h, _dh);
        _p.Gemm(t, nt, _pooled, Hidden, _n, 1f, _pooledOut, _dh, 0f, _dw1);
        _p.SumRows(_dh, _db1);
        _p.Gemm(nt, t, _n, _pooled, Hidden, 1f, _dh, _w1, 0f, _dpooled);
        _p.MaxPoolBackward(_dpooled, _argmax, _pool, _dact);
        _p.ReluBackward(_dact, _act, _dconv);
        _p.SumChannels(_dconv, _db);
        _p.BatchedTranspose(_dconv, _n, Filters, _spatial, _dy);
        _p.Gemm(t, nt, Filters, _conv.PatchSize, _conv.ColumnRows, 1f, _dy, _col, 0f, _dw);
        _p.Gemm(nt, nt, _conv.ColumnRows, _conv.PatchSize, Filters, 1f, _dy, _w, 0f, _dcol);
        _p.Col2Im(_dcol, _conv, _dx);
        // update
        _p.SgdStep(_w, _dw, 0.01f, 0f);
        _p.SgdStep(_b, _db, 0.01f, 0f);
        _p.SgdStep(_w1, _dw1, 0.01f, 0f);
        _p.SgdStep(_b1, _db1, 0.01f, 0f);
        _p.SgdStep(_w2, _dw2, 0.01f, 0f);
        _p.SgdStep(_b2, _db2, 0.01f, 0f);
        _p.Synchronize();
    }

    private Tensor New(params int[] dims)
    {
        var tensor = _p.Allocate(new TensorShape(dims));
        _all.Add(tensor);
        return tensor;
    }

    private Tensor T(Random random, float scale, params int[] dims)
    {
        var tensor = New(dims);
        var values = new float[tensor.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        _p.Upload(values, tensor);
        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in _all) tensor.Dispose();
    }
}
