using CnnNative.Tests.Infrastructure;
using CnnNative.Core;
using CnnNative.Providers.Managed;

namespace CnnNative.Tests.Managed;

/// <summary>
/// Every kernel, warm, allocates nothing on the managed heap — on the calling thread and on
/// the worker threads — at sizes that take the parallel paths (the SimpleConvNet step: batch
/// 100, 30 filters of 5×5 on 28×28, 2×2 pooling, 100 hidden units).
/// </summary>
public sealed class ZeroAllocationTests : IDisposable
{
    private const int Batch = 100, Filters = 30, Kernel = 5, Hidden = 100, Classes = 10;
    private readonly ManagedProvider _p = new(2);
    private readonly List<Tensor> _tensors = [];

    private Tensor T(params int[] dims)
    {
        var t = _p.Allocate(new TensorShape(dims));
        var data = new float[t.Length];
        var rng = new Random(t.Length);
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() - 0.3);
        _p.Upload(data, t);
        _tensors.Add(t);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _tensors) t.Dispose();
        _p.Dispose();
    }

    private void AssertNoAllocation(string what, Action op)
    {
        for (int i = 0; i < 3; i++) op(); // warm: JIT, tiering, scratch growth
        var (threadBytes, workerBytes) = SteadyStateAllocation.Measure(
            () => { for (int i = 0; i < 5; i++) op(); }, () => _p.WorkerAllocatedBytes);
        Assert.True(threadBytes == 0 && workerBytes == 0,
            $"{what} allocated {threadBytes} bytes on the calling thread and {workerBytes} on workers over 5 warm calls.");
    }

    [Fact]
    public void Warm_kernels_allocate_nothing()
    {
        var conv = ConvGeometry.Square(Batch, 1, 28, 28, Kernel);
        int spatial = conv.OutputHeight * conv.OutputWidth;
        var pool = PoolGeometry.Square(Batch, Filters, conv.OutputHeight, conv.OutputWidth, 2, 2);
        int pooled = Filters * pool.OutputHeight * pool.OutputWidth;

        var x = T(Batch, 1, 28, 28);
        var col = T(conv.ColumnRows, conv.PatchSize);
        var w = T(Filters, conv.PatchSize);
        var convOut = T(conv.ColumnRows, Filters);
        var act = T(Batch, Filters, conv.OutputHeight, conv.OutputWidth);
        var act2 = T(Batch, Filters, conv.OutputHeight, conv.OutputWidth);
        var pooledOut = T(Batch, Filters, pool.OutputHeight, pool.OutputWidth);
        var argmax = T(Batch, Filters, pool.OutputHeight, pool.OutputWidth);
        var w1 = T(pooled, Hidden);
        var h = T(Batch, Hidden);
        var b1 = T(Hidden);
        var cb = T(Filters);
        var logits = T(Batch, Classes);
        var probs = T(Batch, Classes);
        var labels = T(Batch);
        _p.Upload(Enumerable.Range(0, Batch).Select(i => (float)(i % Classes)).ToArray(), labels);
        var loss = T(1);
        var mask = T(Batch, Hidden);
        var m = T(pooled, Hidden);
        var v = T(pooled, Hidden);
        var v2 = T(pooled, Hidden);
        var gamma = T(Filters); var beta = T(Filters); var rm = T(Filters); var rv = T(Filters);
        var sm = T(Filters); var si = T(Filters);
        var bn = new BatchNormGeometry(Batch, Filters, spatial);
        var host = new float[Batch * Hidden];

        AssertNoAllocation("Upload/Download", () => { _p.Upload(host, h); _p.Download(h, host); });
        AssertNoAllocation("Copy/Fill", () => { _p.Copy(act, act2); _p.Fill(mask, 0.5f); });
        AssertNoAllocation("Im2Col", () => _p.Im2Col(x, conv, col));
        AssertNoAllocation("Col2Im", () => _p.Col2Im(col, conv, x));
        AssertNoAllocation("GEMM conv forward (NT)", () => _p.Gemm(Transpose.NoTranspose, Transpose.Transpose, conv.ColumnRows, Filters, conv.PatchSize, 1, col, w, 0, convOut));
        AssertNoAllocation("GEMM conv dcol (NN)", () => _p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, conv.ColumnRows, conv.PatchSize, Filters, 1, convOut, w, 0, col));
        AssertNoAllocation("GEMM weight gradient (TN, K split)", () => _p.Gemm(Transpose.Transpose, Transpose.NoTranspose, Filters, conv.PatchSize, conv.ColumnRows, 1, convOut, col, 0, w));
        AssertNoAllocation("GEMM fc (NN, packed A)", () => _p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, Batch, Hidden, pooled, 1, pooledOut, w1, 0, h));
        AssertNoAllocation("GEMM fc backward (TT)", () => _p.Gemm(Transpose.Transpose, Transpose.Transpose, pooled, Batch, Hidden, 1, w1, h, 0.5f, m));
        var sq = T(1024, 1024);
        var sq2 = T(1024, 1024);
        var sq3 = T(1024, 1024);
        AssertNoAllocation("GEMM 1024² (packed A, split over N)", () => _p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 1024, 1024, 1024, 1, sq, sq2, 0, sq3));
        AssertNoAllocation("BatchedTranspose", () => _p.BatchedTranspose(convOut, Batch, spatial, Filters, act));
        AssertNoAllocation("Conv epilogue and prologue", () =>
        {
            _p.BatchedTransposeAddChannelBias(convOut, Batch, spatial, Filters, cb, act);
            _p.BatchedTransposeSumChannels(act, Batch, Filters, spatial, convOut, cb);
        });
        AssertNoAllocation("Channel bias", () => { _p.AddChannelBias(act, cb); _p.SumChannels(act, cb); });
        AssertNoAllocation("Row bias", () => { _p.AddRowBias(convOut, cb); _p.SumRows(convOut, cb); _p.AddRowBias(h, b1); _p.SumRows(h, b1); });
        AssertNoAllocation("ReLU", () => { _p.ReluForward(act, act2); _p.ReluBackward(act, act2, act); });
        AssertNoAllocation("Sigmoid", () => { _p.SigmoidForward(act, act2); _p.SigmoidBackward(act, act2, act); });
        AssertNoAllocation("Elementwise", () => { _p.Add(act, act2, act); _p.Multiply(act, act2, act); _p.Scale(act, 0.5f, act); _p.Axpy(0.1f, act2, act); });
        AssertNoAllocation("Max pooling", () => { _p.MaxPoolForward(act, pool, pooledOut, argmax); _p.MaxPoolBackward(pooledOut, argmax, pool, act2); });
        AssertNoAllocation("Average pooling", () => { _p.AvgPoolForward(act, pool, pooledOut); _p.AvgPoolBackward(pooledOut, pool, act2); });
        AssertNoAllocation("Batch norm", () =>
        {
            _p.BatchNormForwardTraining(act, bn, gamma, beta, rm, rv, 0.9f, 1e-6f, act2, sm, si);
            _p.BatchNormBackward(act2, act, bn, gamma, sm, si, act2, rm, rv);
            _p.BatchNormForwardInference(act, bn, gamma, beta, rm, rv, 1e-6f, act);
        });
        AssertNoAllocation("Softmax and loss", () =>
        {
            _p.SoftmaxCrossEntropyForward(logits, labels, probs, loss);
            _p.SoftmaxCrossEntropyBackward(probs, labels, probs);
            _p.CountCorrect(logits, labels, loss);
            _p.Softmax(logits, probs);
        });
        AssertNoAllocation("Dropout", () => _p.DropoutForward(h, 0.5f, 1, 2, h, mask));
        AssertNoAllocation("Optimizers", () =>
        {
            _p.SgdStep(w1, m, 0.01f, 0f);
            _p.MomentumStep(w1, m, v, 0.01f, 0.9f, 0f);
            _p.NesterovStep(w1, m, v, 0.01f, 0.9f, 0f);
            _p.AdaGradStep(w1, m, v, 0.01f, 0f);
            _p.RmsPropStep(w1, m, v, 0.01f, 0.99f, 0f);
            _p.AdamStep(w1, m, v, v2, 0.001f, 0.9f, 0.999f, 0f);
        });
    }
}
