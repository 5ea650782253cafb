using CnnNative.Core;

namespace CnnNative.Tests.Managed;

/// <summary>
/// The managed kernels against the reference on sizes that cross the vector widths and the
/// single-thread thresholds, on one and several threads.
/// </summary>
public sealed class ManagedKernelTests
{
    public static TheoryData<int, int> SizesAndThreads() => new()
    {
        { 1, 1 }, { 7, 2 }, { 8, 2 }, { 15, 1 }, { 16, 2 }, { 17, 2 }, { 33, 3 }, { 1000, 2 }, { 200_003, 2 }, { 200_003, 3 },
    };

    [Fact]
    public void Own_convolution_algorithms_are_preferred_for_small_stride_1_patches_and_3x3_stride_1_layers()
    {
        using var p = new CnnNative.Providers.Managed.ManagedProvider(1);
        Assert.True(p.PrefersDirectConvolution(ConvGeometry.Square(100, 1, 28, 28, 5)));        // SimpleConvNet's conv1
        Assert.True(p.PrefersDirectConvolution(ConvGeometry.Square(2, 3, 12, 12, 3)));          // patch 27
        Assert.True(p.PrefersDirectConvolution(ConvGeometry.Square(100, 1, 28, 28, 3, pad: 1)));  // vgg-small's conv1: padded copy
        Assert.False(p.PrefersDirectConvolution(ConvGeometry.Square(100, 1, 28, 28, 5, stride: 2)));
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            p.PrefersDirectConvolution(ConvGeometry.Square(32, 64, 32, 32, 3, pad: 1)));        // patch 576: Winograd or im2col, measured
        Assert.False(p.PrefersDirectConvolution(ConvGeometry.Square(32, 64, 32, 32, 5, pad: 2))); // patch 1600, 5×5: im2col
        Assert.False(p.PrefersDirectConvolution(ConvGeometry.Square(4, 1, 9, 9, 3, stride: 2)));  // strided: im2col
    }

    [Theory]
    [MemberData(nameof(SizesAndThreads))]
    public void Elementwise_and_optimizers(int n, int threads)
    {
        using var p = new ManagedVsReference(threads, seed: n);
        var shape = new TensorShape(n);
        var a = p.Random(shape);
        var b = p.Random(shape);
        var c = p.Random(shape);
        void Both(Action<IComputeProvider, Func<(Tensor M, Tensor R), Tensor>> op)
        {
            op(p.Managed, t => t.M);
            op(p.Reference, t => t.R);
        }

        Both((q, t) => q.Add(t(a), t(b), t(c))); p.AssertClose(c, "Add");
        Both((q, t) => q.Multiply(t(a), t(b), t(b))); p.AssertClose(b, "Multiply in place");
        Both((q, t) => q.Scale(t(a), -1.5f, t(c))); p.AssertClose(c, "Scale");
        Both((q, t) => q.Axpy(0.25f, t(a), t(c))); p.AssertClose(c, "Axpy");
        Both((q, t) => q.ReluForward(t(a), t(c))); p.AssertClose(c, "ReLU");
        Both((q, t) => q.ReluBackward(t(b), t(c), t(a))); p.AssertClose(a, "ReLU backward");
        Both((q, t) => q.SigmoidForward(t(b), t(c))); p.AssertClose(c, "Sigmoid");
        Both((q, t) => q.SigmoidBackward(t(a), t(c), t(a))); p.AssertClose(a, "Sigmoid backward in place");

        var param = p.Random(shape);
        var grad = p.Random(shape);
        var s1 = p.Random(shape, 0, 1);
        var s2 = p.Random(shape, 0, 1);
        Both((q, t) => q.SgdStep(t(param), t(grad), 0.1f, 0.01f)); p.AssertClose(param, "SGD");
        Both((q, t) => q.MomentumStep(t(param), t(grad), t(s1), 0.1f, 0.9f, 0.01f)); p.AssertClose(param, "Momentum"); p.AssertClose(s1, "Momentum v");
        Both((q, t) => q.NesterovStep(t(param), t(grad), t(s1), 0.1f, 0.9f, 0f)); p.AssertClose(param, "Nesterov"); p.AssertClose(s1, "Nesterov v");
        Both((q, t) => q.AdaGradStep(t(param), t(grad), t(s2), 0.1f, 0f)); p.AssertClose(param, "AdaGrad"); p.AssertClose(s2, "AdaGrad h");
        Both((q, t) => q.RmsPropStep(t(param), t(grad), t(s2), 0.01f, 0.99f, 0.001f)); p.AssertClose(param, "RMSprop"); p.AssertClose(s2, "RMSprop h");
        Both((q, t) => q.AdamStep(t(param), t(grad), t(s1), t(s2), 0.001f, 0.9f, 0.999f, 0.01f));
        p.AssertClose(param, "Adam"); p.AssertClose(s1, "Adam m"); p.AssertClose(s2, "Adam v");
    }

    [Theory]
    [MemberData(nameof(SizesAndThreads))]
    public void Dropout_mask_is_exactly_the_counter_rng(int n, int threads)
    {
        using var p = new ManagedVsReference(threads, seed: n);
        var shape = new TensorShape(n);
        var x = p.Random(shape);
        var y = p.Random(shape);
        var mask = p.Random(shape);
        foreach (float ratio in new[] { 0f, 0.3f, 0.5f, 0.999f })
        {
            p.Managed.DropoutForward(x.M, ratio, 11, 5, y.M, mask.M);
            p.Reference.DropoutForward(x.R, ratio, 11, 5, y.R, mask.R);
            p.AssertClose(mask, "mask", 0, 0);
            p.AssertClose(y, "dropout output", 0, 0);
        }
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 7, 5, 2)]
    [InlineData(100, 30, 576, 2)]
    [InlineData(100, 100, 1, 2)]
    [InlineData(9, 17, 33, 3)]
    public void Bias_and_batch_norm(int batch, int channels, int spatial, int threads)
    {
        using var p = new ManagedVsReference(threads, seed: batch + channels + spatial);
        var shape = new TensorShape(batch, channels, spatial);
        var x = p.Random(shape, -3, 5);
        var dy = p.Random(shape);
        var y = p.Random(shape);
        var dx = p.Random(shape);
        var cshape = new TensorShape(channels);
        var bias = p.Random(cshape);
        var gamma = p.Random(cshape, 0.5, 2);
        var beta = p.Random(cshape);
        var rm = p.Random(cshape);
        var rv = p.Random(cshape, 0.5, 1);
        var sm = p.Random(cshape);
        var si = p.Random(cshape);
        var dg = p.Random(cshape);
        var db = p.Random(cshape);
        var g = new BatchNormGeometry(batch, channels, spatial);

        p.Managed.AddChannelBias(y.M, bias.M); p.Reference.AddChannelBias(y.R, bias.R); p.AssertClose(y, "AddChannelBias");
        p.Managed.SumChannels(dy.M, db.M); p.Reference.SumChannels(dy.R, db.R); p.AssertClose(db, "SumChannels", 1e-4);
        var rows = (M: y.M.View(batch, channels * spatial), R: y.R.View(batch, channels * spatial));
        var rowBias = p.Random(new TensorShape(channels * spatial));
        p.Managed.AddRowBias(rows.M, rowBias.M); p.Reference.AddRowBias(rows.R, rowBias.R); p.AssertClose(y, "AddRowBias");
        var colSums = p.Random(new TensorShape(channels * spatial));
        p.Managed.SumRows(rows.M, colSums.M); p.Reference.SumRows(rows.R, colSums.R); p.AssertClose(colSums, "SumRows", 1e-4);

        p.Managed.BatchNormForwardTraining(x.M, g, gamma.M, beta.M, rm.M, rv.M, 0.9f, 1e-6f, y.M, sm.M, si.M);
        p.Reference.BatchNormForwardTraining(x.R, g, gamma.R, beta.R, rm.R, rv.R, 0.9f, 1e-6f, y.R, sm.R, si.R);
        p.AssertClose(y, "BN forward", 1e-4); p.AssertClose(sm, "BN mean"); p.AssertClose(si, "BN inv std");
        p.AssertClose(rm, "BN running mean"); p.AssertClose(rv, "BN running var");

        p.Managed.BatchNormBackward(dy.M, x.M, g, gamma.M, sm.M, si.M, dy.M, dg.M, db.M);
        p.Reference.BatchNormBackward(dy.R, x.R, g, gamma.R, sm.R, si.R, dy.R, dg.R, db.R);
        p.AssertClose(dy, "BN backward (dx = dy)", 1e-4, 1e-3); p.AssertClose(dg, "BN dgamma", 1e-4); p.AssertClose(db, "BN dbeta", 1e-4);

        p.Managed.BatchNormForwardInference(x.M, g, gamma.M, beta.M, rm.M, rv.M, 1e-6f, x.M);
        p.Reference.BatchNormForwardInference(x.R, g, gamma.R, beta.R, rm.R, rv.R, 1e-6f, x.R);
        p.AssertClose(x, "BN inference in place", 1e-4);
    }

    public static TheoryData<ConvGeometry, int> ConvShapes() => new()
    {
        { ConvGeometry.Square(100, 1, 28, 28, kernel: 5), 2 },
        { ConvGeometry.Square(2, 3, 7, 9, kernel: 3, stride: 2, pad: 1), 2 },
        { new ConvGeometry(3, 2, 5, 6, 2, 4, 1, 3, 2, 1), 3 },
        { ConvGeometry.Square(1, 1, 1, 1, kernel: 1), 1 },
        { ConvGeometry.Square(4, 16, 12, 12, kernel: 3, stride: 1, pad: 1), 2 },
        { ConvGeometry.Square(2, 2, 3, 2, kernel: 5, stride: 1, pad: 4), 2 },    // windows wholly in the padding
        { new ConvGeometry(2, 1, 3, 20, 1, 17), 2 },                              // kernel rows wider than a vector
        { new ConvGeometry(3, 2, 9, 11, 3, 3, 2, 3, 0, 2), 3 },
    };

    [Theory]
    [MemberData(nameof(ConvShapes))]
    public void Im2col_col2im_and_transpose(ConvGeometry g, int threads)
    {
        using var p = new ManagedVsReference(threads);
        var x = p.Random(new TensorShape(g.Batch, g.Channels, g.Height, g.Width));
        var col = p.Random(new TensorShape(g.ColumnRows, g.PatchSize));
        p.Managed.Im2Col(x.M, g, col.M); p.Reference.Im2Col(x.R, g, col.R); p.AssertClose(col, "im2col", 0, 0);
        var dcol = p.Random(new TensorShape(g.ColumnRows, g.PatchSize));
        p.Managed.Col2Im(dcol.M, g, x.M); p.Reference.Col2Im(dcol.R, g, x.R); p.AssertClose(x, "col2im");
        int spatial = g.OutputHeight * g.OutputWidth;
        var t = p.Random(new TensorShape(g.Batch * g.PatchSize * spatial));
        p.Managed.BatchedTranspose(col.M, g.Batch, spatial, g.PatchSize, t.M);
        p.Reference.BatchedTranspose(col.R, g.Batch, spatial, g.PatchSize, t.R);
        p.AssertClose(t, "batched transpose", 0, 0);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 9)]
    [InlineData(1, 8, 8)]
    [InlineData(2, 33, 17)]
    [InlineData(1, 70, 9)]
    [InlineData(2, 5, 40)]
    [InlineData(3, 100, 30)]
    [InlineData(4, 300, 70)]
    public void Batched_transpose(int batch, int rows, int cols)
    {
        foreach (int threads in new[] { 1, 3 })
        {
            using var p = new ManagedVsReference(threads, seed: rows * cols);
            var src = p.Random(new TensorShape(batch, rows, cols));
            var dst = p.Random(new TensorShape(batch, cols, rows));
            p.Managed.BatchedTranspose(src.M, batch, rows, cols, dst.M);
            p.Reference.BatchedTranspose(src.R, batch, rows, cols, dst.R);
            p.AssertClose(dst, "batched transpose", 0, 0);
        }
    }

    public static TheoryData<PoolGeometry, int> PoolShapes() => new()
    {
        { PoolGeometry.Square(100, 30, 24, 24, pool: 2, stride: 2), 2 },
        { PoolGeometry.Square(2, 3, 5, 7, pool: 3, stride: 2, pad: 1), 2 },
        { new PoolGeometry(3, 2, 6, 5, 2, 3, 1, 2, 1, 2), 3 },
        { PoolGeometry.Square(1, 1, 1, 1, pool: 1, stride: 1), 1 },
        { PoolGeometry.Square(2, 3, 7, 19, pool: 2, stride: 2), 2 },   // the 2×2 vector path with odd edges
        { PoolGeometry.Square(1, 2, 3, 3, pool: 2, stride: 2), 1 },
    };

    [Theory]
    [MemberData(nameof(PoolShapes))]
    public void Pooling(PoolGeometry g, int threads)
    {
        using var p = new ManagedVsReference(threads);
        var x = p.Random(new TensorShape(g.Batch, g.Channels, g.Height, g.Width));
        var oshape = new TensorShape(g.Batch, g.Channels, g.OutputHeight, g.OutputWidth);
        var y = p.Random(oshape);
        var arg = p.Random(oshape);
        var dy = p.Random(oshape);
        p.Managed.MaxPoolForward(x.M, g, y.M, arg.M); p.Reference.MaxPoolForward(x.R, g, y.R, arg.R);
        p.AssertClose(y, "max pool", 0, 0); p.AssertClose(arg, "argmax", 0, 0);
        p.Managed.MaxPoolBackward(dy.M, arg.M, g, x.M); p.Reference.MaxPoolBackward(dy.R, arg.R, g, x.R); p.AssertClose(x, "max pool backward");
        p.Managed.AvgPoolForward(x.M, g, y.M); p.Reference.AvgPoolForward(x.R, g, y.R); p.AssertClose(y, "avg pool");
        p.Managed.AvgPoolBackward(dy.M, g, x.M); p.Reference.AvgPoolBackward(dy.R, g, x.R); p.AssertClose(x, "avg pool backward");
    }

    [Theory]
    [InlineData(4, 4, 2, 2, 0)]   // vector path
    [InlineData(5, 6, 3, 2, 1)]   // general path with padding
    public void Max_pool_ties_go_to_the_first_element_and_padding_is_minus_infinity(int h, int w, int pool, int stride, int pad)
    {
        var g = PoolGeometry.Square(2, 3, h, w, pool, stride, pad);
        using var p = new ManagedVsReference(2);
        // Only two distinct values, so most windows hold ties; −∞ inputs compete with the padding.
        var data = new float[g.InputLength];
        for (int i = 0; i < data.Length; i++) data[i] = i % 3 == 0 ? float.NegativeInfinity : (i % 2) * 0.5f;
        var x = p.From(data, new TensorShape(g.Batch, g.Channels, h, w));
        var oshape = new TensorShape(g.Batch, g.Channels, g.OutputHeight, g.OutputWidth);
        var y = p.Random(oshape);
        var arg = p.Random(oshape);
        p.Managed.MaxPoolForward(x.M, g, y.M, arg.M);
        p.Reference.MaxPoolForward(x.R, g, y.R, arg.R);
        p.AssertClose(y, "max with ties", 0, 0);
        p.AssertClose(arg, "argmax with ties", 0, 0);
        p.Managed.Upload(new float[g.InputLength], x.M);
        p.Managed.MaxPoolForward(x.M, g, y.M, arg.M);
        var args = new float[g.OutputLength];
        p.Managed.Download(arg.M, args);
        // All-equal windows: the first real element wins (position 0 unless it is padding).
        if (pad == 0) Assert.All(args, a => Assert.Equal(0f, a));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 10)]
    [InlineData(7, 37)]
    public void Softmax_loss_and_accuracy(int rows, int cols)
    {
        using var p = new ManagedVsReference(2);
        var shape = new TensorShape(rows, cols);
        var logits = p.Random(shape, -30, 30);
        var probs = p.Random(shape);
        var labels = p.Labels(rows, cols);
        var loss = p.Random(new TensorShape(1));
        var counter = p.From([3f], new TensorShape(1));
        p.Managed.SoftmaxCrossEntropyForward(logits.M, labels.M, probs.M, loss.M);
        p.Reference.SoftmaxCrossEntropyForward(logits.R, labels.R, probs.R, loss.R);
        p.AssertClose(probs, "softmax"); p.AssertClose(loss, "loss");
        p.Managed.SoftmaxCrossEntropyBackward(probs.M, labels.M, probs.M);
        p.Reference.SoftmaxCrossEntropyBackward(probs.R, labels.R, probs.R);
        p.AssertClose(probs, "loss gradient in place");
        p.Managed.CountCorrect(logits.M, labels.M, counter.M); p.Reference.CountCorrect(logits.R, labels.R, counter.R);
        p.AssertClose(counter, "count correct", 0, 0);
        p.Managed.Softmax(logits.M, logits.M); p.Reference.Softmax(logits.R, logits.R); p.AssertClose(logits, "softmax in place");
    }
}
