using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>Softmax and loss, accuracy, batch norm, dropout and optimizer updates against host loops.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClTrainingOpsTests(OpenClProviderFixture fixture)
{
    private OpenClProvider P => fixture.Provider;

    [ProviderTheory("opencl")]
    [InlineData(1, 1)]
    [InlineData(7, 10)]
    [InlineData(300, 10)]   // more rows than one reduction group
    [InlineData(3, 1000)]
    public void Softmax_cross_entropy_forward_and_backward(int rows, int cols)
    {
        var z = HostData.Random(rows * cols, 1, -8f, 8f);
        var labels = new float[rows];
        var rnd = new Random(2);
        for (int r = 0; r < rows; r++) labels[r] = rnd.Next(cols);
        using var logits = HostData.Put(P, z, rows, cols);
        using var t = HostData.Put(P, labels);
        using var probs = HostData.Garbage(P, rows * cols);
        using var loss = HostData.Garbage(P, 3);

        var probsMatrix = probs.View(rows, cols);
        P.SoftmaxCrossEntropyForward(logits, t, probsMatrix, loss);
        var ep = HostReference.Softmax(z, rows, cols);
        HostData.Near(ep, HostData.Get(P, probs), 1e-6, 1e-5, what: "probs");
        double el = 0;
        for (int r = 0; r < rows; r++) el -= Math.Log(ep[r * cols + (int)labels[r]] + 1e-7);
        el /= rows;
        Assert.Equal(el, HostData.Get(P, loss)[0], 1e-5 * Math.Max(1, Math.Abs(el)));

        using var dx = HostData.Garbage(P, rows * cols, 4);
        P.SoftmaxCrossEntropyBackward(probsMatrix, t, dx.View(rows, cols));
        var pr = HostData.Get(P, probs);
        var expected = new double[rows * cols];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = (pr[i] - ((int)labels[i / cols] == i % cols ? 1.0 : 0.0)) / rows;
        HostData.Near(expected, HostData.Get(P, dx), 1e-7, 1e-5, what: "dx");

        P.SoftmaxCrossEntropyBackward(probsMatrix, t, probsMatrix);   // dx may be probs
        HostData.Near(expected, HostData.Get(P, probs), 1e-7, 1e-5, what: "dx in place");
    }

    [ProviderFact("opencl")]
    public void Softmax_alone_and_in_place()
    {
        int rows = 9, cols = 13;
        var z = HostData.Random(rows * cols, 5, -30f, 30f);
        using var logits = HostData.Put(P, z, rows, cols);
        using var probs = HostData.Put(P, HostData.Random(rows * cols, 6), rows, cols);
        P.Softmax(logits, probs);
        HostData.Near(HostReference.Softmax(z, rows, cols), HostData.Get(P, probs), 1e-7, 1e-5, what: "probs");
        P.Softmax(logits, logits);
        HostData.Near(HostReference.Softmax(z, rows, cols), HostData.Get(P, logits), 1e-7, 1e-5, what: "in place");
    }

    [ProviderFact("opencl")]
    public void Count_correct_accumulates_and_takes_the_first_maximum()
    {
        // Row 0: tie between 1 and 3 → 1 (correct). Row 1: max at 0 (label 2: wrong). Row 2: max at 2 (correct).
        float[] scores = [0, 5, 1, 5, 9, 1, 1, 1, 0, 0, 7, 0];
        float[] labels = [1, 2, 2];
        using var s = HostData.Put(P, scores, 3, 4);
        using var l = HostData.Put(P, labels);
        using var counter = HostData.Put(P, [10f]);
        P.CountCorrect(s, l, counter);
        Assert.Equal(12f, HostData.Get(P, counter)[0]);
        P.CountCorrect(s, l, counter);
        Assert.Equal(14f, HostData.Get(P, counter)[0]);

        int rows = 1000, cols = 10;
        var big = HostData.Random(rows * cols, 7);
        var bl = new float[rows];
        int expected = 0;
        var rnd = new Random(8);
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int j = 1; j < cols; j++) if (big[r * cols + j] > big[r * cols + best]) best = j;
            bl[r] = rnd.Next(3) == 0 ? best : rnd.Next(cols);
            if ((int)bl[r] == best) expected++;
        }
        using var sb = HostData.Put(P, big, rows, cols);
        using var lb = HostData.Put(P, bl);
        P.Fill(counter, 0f);
        P.CountCorrect(sb, lb, counter);
        Assert.Equal(expected, HostData.Get(P, counter)[0]);
    }

    [ProviderTheory("opencl")]
    [InlineData(4, 3, 25)]
    [InlineData(100, 50, 1)]   // per activation (the seed's form)
    [InlineData(1, 2, 7)]
    [InlineData(8, 16, 144)]
    public void Batch_norm_training_inference_and_backward(int batch, int channels, int spatial)
    {
        var g = new BatchNormGeometry(batch, channels, spatial);
        var x = HostData.Random(g.Length, 1, -2f, 3f);
        var gamma = HostData.Random(channels, 2, 0.5f, 1.5f);
        var beta = HostData.Random(channels, 3);
        var rm = HostData.Random(channels, 4);
        var rv = HostData.Random(channels, 5, 0.5f, 2f);
        const float momentum = 0.9f, eps = 1e-6f;
        using var dx_ = HostData.Put(P, x);
        using var dg = HostData.Put(P, gamma);
        using var dbeta = HostData.Put(P, beta);
        using var drm = HostData.Put(P, rm);
        using var drv = HostData.Put(P, rv);
        using var y = HostData.Garbage(P, g.Length);
        using var mean = HostData.Garbage(P, channels);
        using var inv = HostData.Garbage(P, channels);

        P.BatchNormForwardTraining(dx_, g, dg, dbeta, drm, drv, momentum, eps, y, mean, inv);
        var (em, ev) = HostReference.ChannelStats(x, g);
        var einv = Map(c => 1 / Math.Sqrt(ev[c] + eps), channels);
        HostData.Near(em, HostData.Get(P, mean), 1e-5, 1e-5, what: "mean");
        HostData.Near(einv, HostData.Get(P, inv), 1e-5, 1e-4, what: "1/σ");
        HostData.Near(Map(c => momentum * rm[c] + (1 - momentum) * em[c], channels), HostData.Get(P, drm), 1e-5, 1e-5, what: "running mean");
        HostData.Near(Map(c => momentum * rv[c] + (1 - momentum) * ev[c], channels), HostData.Get(P, drv), 1e-5, 1e-5, what: "running var");
        var ey = Map(i => gamma[C(i)] * (x[i] - em[C(i)]) * einv[C(i)] + beta[C(i)], g.Length);
        HostData.Near(ey, HostData.Get(P, y), 1e-4, 1e-4, what: "y");

        // inference with the updated running statistics, in place
        var rmNow = HostData.Get(P, drm);
        var rvNow = HostData.Get(P, drv);
        P.BatchNormForwardInference(dx_, g, dg, dbeta, drm, drv, eps, dx_);
        var yi = Map(i => gamma[C(i)] * (x[i] - rmNow[C(i)]) / Math.Sqrt(rvNow[C(i)] + eps) + beta[C(i)], g.Length);
        HostData.Near(yi, HostData.Get(P, dx_), 1e-5, 1e-5, what: "y (inference)");

        // backward from the saved statistics; dx may be dy
        P.Upload(x, dx_);
        var dy = HostData.Random(g.Length, 6);
        using var ddy = HostData.Put(P, dy);
        using var dgamma = HostData.Garbage(P, channels);
        using var dbetaGrad = HostData.Garbage(P, channels, 7);
        var sm = HostData.Get(P, mean);
        var si = HostData.Get(P, inv);
        int m = g.GroupSize;
        var edb = new double[channels];
        var edg = new double[channels];
        for (int i = 0; i < g.Length; i++)
        {
            edb[C(i)] += dy[i];
            edg[C(i)] += dy[i] * (x[i] - sm[C(i)]) * si[C(i)];
        }
        var edx = Map(i => gamma[C(i)] * si[C(i)] / m * (m * dy[i] - edb[C(i)] - (x[i] - sm[C(i)]) * si[C(i)] * edg[C(i)]), g.Length);
        P.BatchNormBackward(ddy, dx_, g, dg, mean, inv, ddy, dgamma, dbetaGrad);
        HostData.Near(edb, HostData.Get(P, dbetaGrad), 1e-5 * m, 1e-5, what: "dβ");
        HostData.Near(edg, HostData.Get(P, dgamma), 1e-5 * m, 1e-4, what: "dγ");
        HostData.Near(edx, HostData.Get(P, ddy), 1e-4, 1e-4, what: "dx");

        int C(int i) => i / spatial % channels;
    }

    [ProviderTheory("opencl")]
    [InlineData(1, 0.5f)]
    [InlineData(10_007, 0.5f)]
    [InlineData(4096, 0f)]
    [InlineData(3000, 0.9f)]
    public void Dropout_masks_equal_the_counter_rng_bit_for_bit(int n, float ratio)
    {
        const ulong seed = 0xC0FFEE, stream = 42;
        var x = HostData.Random(n, 1);
        using var dx = HostData.Put(P, x);
        using var y = HostData.Garbage(P, n);
        using var mask = HostData.Garbage(P, n, 3);
        P.DropoutForward(dx, ratio, seed, stream, y, mask);
        ulong key = CounterRng.StreamKey(seed, stream);
        var m = HostData.Get(P, mask);
        var yy = HostData.Get(P, y);
        for (int i = 0; i < n; i++)
        {
            float expected = CounterRng.Uniform(key, (ulong)i) > ratio ? 1f : 0f;
            Assert.True(expected == m[i], $"mask[{i}] = {m[i]}, the managed generator says {expected}");
            Assert.Equal(x[i] * expected, yy[i]);
        }

        P.DropoutForward(dx, ratio, seed, stream, dx, mask);   // y may be x
        Assert.Equal(yy, HostData.Get(P, dx));
        P.DropoutForward(dx, ratio, seed, stream + 1, y, mask); // another stream, another mask
        if (n > 100 && ratio > 0) Assert.NotEqual(m, HostData.Get(P, mask));
    }

    [ProviderFact("opencl")]
    public void Optimizer_steps_follow_their_formulas()
    {
        int n = 1031;
        var p0 = HostData.Random(n, 1);
        var g = HostData.Random(n, 2);
        var s0 = HostData.Random(n, 3, 0f, 1f);
        var s1 = HostData.Random(n, 4, 0f, 1f);
        const float lr = 0.01f, wd = 0.001f, mom = 0.9f, decay = 0.99f, b1 = 0.9f, b2 = 0.999f;
        double G(int i) => g[i] + (double)wd * p0[i];

        Step((p, gr, a, b) => P.SgdStep(p, gr, lr, wd),
            i => p0[i] - lr * G(i), null, null);
        Step((p, gr, a, b) => P.MomentumStep(p, gr, a!, lr, mom, wd),
            i => p0[i] + (mom * s0[i] - lr * G(i)), i => mom * s0[i] - lr * G(i), null);
        Step((p, gr, a, b) => P.NesterovStep(p, gr, a!, lr, mom, wd),
            i => p0[i] + mom * mom * (mom * s0[i] - lr * G(i)) - (1 + mom) * lr * G(i), i => mom * s0[i] - lr * G(i), null);
        Step((p, gr, a, b) => P.AdaGradStep(p, gr, a!, lr, wd),
            i => p0[i] - lr * G(i) / (Math.Sqrt(s0[i] + G(i) * G(i)) + 1e-7), i => s0[i] + G(i) * G(i), null);
        Step((p, gr, a, b) => P.RmsPropStep(p, gr, a!, lr, decay, wd),
            i => p0[i] - lr * G(i) / (Math.Sqrt(decay * s0[i] + (1 - decay) * G(i) * G(i)) + 1e-7),
            i => decay * s0[i] + (1 - decay) * G(i) * G(i), null);
        double M(int i) => s0[i] + (1 - b1) * (G(i) - s0[i]);
        double V(int i) => s1[i] + (1 - b2) * (G(i) * G(i) - s1[i]);
        Step((p, gr, a, b) => P.AdamStep(p, gr, a!, b!, lr, b1, b2, wd),
            i => p0[i] - lr * M(i) / (Math.Sqrt(V(i)) + 1e-7), M, V);

        void Step(Action<Tensor, Tensor, Tensor?, Tensor?> run, Func<int, double> param, Func<int, double>? state0, Func<int, double>? state1)
        {
            using var p = HostData.Put(P, p0);
            using var gr = HostData.Put(P, g);
            using var a = HostData.Put(P, s0);
            using var b = HostData.Put(P, s1);
            run(p, gr, a, b);
            HostData.Near(Map(param, n), HostData.Get(P, p), 1e-6, 1e-5, what: "param");
            if (state0 is not null) HostData.Near(Map(state0, n), HostData.Get(P, a), 1e-6, 1e-5, what: "state");
            if (state1 is not null) HostData.Near(Map(state1, n), HostData.Get(P, b), 1e-6, 1e-5, what: "second state");
            Assert.Equal(g, HostData.Get(P, gr));
        }
    }

    private static double[] Map(Func<int, double> f, int n)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = f(i);
        return r;
    }
}
