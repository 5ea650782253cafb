using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Nn;

/// <summary>
/// Forward values against the definitions written as direct loops. Gradient checks only prove
/// that backward is consistent with forward; these prove forward computes the right thing
/// (the right weight layout, the right window, the seed's batch-norm statistics).
/// </summary>
public sealed class LayerForwardTests : IDisposable
{
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");

    [Fact]
    public void Convolution_is_the_direct_cross_correlation_with_W_F_C_KH_KW()
    {
        const int N = 2, C = 3, H = 7, Wd = 6, F = 4, KH = 3, KW = 2, SH = 2, SW = 1, PH = 1, PW = 2;
        using var conv = new Convolution(_p, "c", new TensorShape(C, H, Wd), F, new Size2(KH, KW), new Size2(SH, SW), new Size2(PH, PW));
        NnTestData.Randomize(conv, 1);
        using var x = NnTestData.Random(_p, 2, N, C, H, Wd);
        var y = NnTestData.Download(conv.Forward(x, false));
        double[] xs = NnTestData.Download(x), w = NnTestData.Download(conv.Weights.Value), b = NnTestData.Download(conv.Bias.Value);
        int OH = conv.OutputShape[1], OW = conv.OutputShape[2];
        for (int n = 0; n < N; n++)
            for (int f = 0; f < F; f++)
                for (int oh = 0; oh < OH; oh++)
                    for (int ow = 0; ow < OW; ow++)
                    {
                        double sum = b[f];
                        for (int c = 0; c < C; c++)
                            for (int kh = 0; kh < KH; kh++)
                                for (int kw = 0; kw < KW; kw++)
                                {
                                    int ih = oh * SH - PH + kh, iw = ow * SW - PW + kw;
                                    if (ih < 0 || ih >= H || iw < 0 || iw >= Wd) continue;
                                    sum += w[((f * C + c) * KH + kh) * KW + kw] * xs[((n * C + c) * H + ih) * Wd + iw];
                                }
                        Near(sum, y[((n * F + f) * OH + oh) * OW + ow], $"y[{n},{f},{oh},{ow}]");
                    }
    }

    [Fact]
    public void Affine_is_x_times_W_plus_b_with_W_in_out()
    {
        using var affine = new Affine(_p, "a", new TensorShape(2, 3), 4);
        NnTestData.Randomize(affine, 1);
        using var x = NnTestData.Random(_p, 2, 5, 2, 3);
        var y = NnTestData.Download(affine.Forward(x, false));
        double[] xs = NnTestData.Download(x), w = NnTestData.Download(affine.Weights.Value), b = NnTestData.Download(affine.Bias.Value);
        for (int n = 0; n < 5; n++)
            for (int j = 0; j < 4; j++)
            {
                double sum = b[j];
                for (int i = 0; i < 6; i++) sum += xs[n * 6 + i] * w[i * 4 + j];
                Near(sum, y[n * 4 + j], $"y[{n},{j}]");
            }
    }

    [Fact]
    public void Max_pooling_takes_the_window_maximum_with_padding_as_minus_infinity()
    {
        using var pool = new MaxPooling(_p, "m", new TensorShape(1, 3, 3), 2, 2, 1);
        using var x = _p.Allocate(new TensorShape(1, 1, 3, 3));
        _p.Upload([-1f, -2, -3, -4, -5, -6, -7, -8, -9], x);
        // Windows (padded by one): {−1}, {−2, −3}, {−4, −7}, {−5, −6, −8, −9}; zeros in the padding would win them all.
        Assert.Equal([-1.0, -2, -4, -5], NnTestData.Download(pool.Forward(x, false)));
    }

    [Fact]
    public void Average_and_global_average_pooling()
    {
        using var x = _p.Allocate(new TensorShape(1, 2, 2, 2));
        _p.Upload([1f, 2, 3, 4, 10, 20, 30, 40], x);
        using var gap = new GlobalAveragePooling(_p, "g", new TensorShape(2, 2, 2));
        Assert.Equal([2.5, 25], NnTestData.Download(gap.Forward(x, false)));
        using var avg = new AveragePooling(_p, "a", new TensorShape(2, 2, 2), new Size2(1, 2), new Size2(1, 2));
        Assert.Equal([1.5, 3.5, 15, 35], NnTestData.Download(avg.Forward(x, false)));
    }

    [Fact]
    public void Batch_norm_per_channel_statistics_and_running_averages()
    {
        using var bn = new BatchNormalization(_p, "bn", new TensorShape(2, 1, 2));
        using var x = _p.Allocate(new TensorShape(2, 2, 1, 2));
        // Channel 0 holds 1, 2, 5, 6 (mean 3.5, var 4.25); channel 1 holds 3, 4, 7, 8 (mean 5.5, var 4.25).
        _p.Upload([1f, 2, 3, 4, 5, 6, 7, 8], x);
        var y = NnTestData.Download(bn.Forward(x, true));
        double inv = 1 / Math.Sqrt(4.25 + 1e-6f);
        double[] expected = [(1 - 3.5) * inv, (2 - 3.5) * inv, (3 - 5.5) * inv, (4 - 5.5) * inv, (5 - 3.5) * inv, (6 - 3.5) * inv, (7 - 5.5) * inv, (8 - 5.5) * inv];
        for (int i = 0; i < 8; i++) Near(expected[i], y[i], $"y[{i}]");
        // The seed's running update with momentum 0.9 from zeros: 0.1 × the batch statistic (biased variance).
        var mean = NnTestData.Download(bn.RunningMean);
        var variance = NnTestData.Download(bn.RunningVar);
        double k = 1 - (double)0.9f; // the momentum reaches the provider as a float
        Near(k * 3.5, mean[0], "running mean 0"); Near(k * 5.5, mean[1], "running mean 1");
        Near(k * 4.25, variance[0], "running var 0"); Near(k * 4.25, variance[1], "running var 1");
        // Inference uses the running statistics.
        var yi = NnTestData.Download(bn.Forward(x, false));
        Near((1 - k * 3.5) / Math.Sqrt(k * 4.25 + 1e-6f), yi[0], "inference y[0]");
    }

    [Fact]
    public void Loss_is_the_seeds_mean_cross_entropy_with_1e_minus_7_and_backward_is_p_minus_t_over_N()
    {
        using var loss = new SoftmaxWithLoss(_p, 3);
        using var scores = _p.Allocate(new TensorShape(2, 3));
        _p.Upload([1f, 2, 3, 0, 0, 0], scores);
        using var labels = _p.Allocate(new TensorShape(2));
        _p.Upload([2f, 0], labels);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        double expected = -(Math.Log(Math.Exp(3) / z + 1e-7) + Math.Log(1.0 / 3 + 1e-7)) / 2;
        Near(expected, NnTestData.Download(loss.Forward(scores, labels))[0], "loss");
        Assert.Equal((float)expected, loss.ReadLoss());
        var dx = NnTestData.Download(loss.Backward());
        Near((Math.Exp(3) / z - 1) / 2, dx[2], "dx[0,2]");
        Near((1.0 / 3 - 1) / 2, dx[3], "dx[1,0]");
        Near(1.0 / 3 / 2, dx[4], "dx[1,1]");
    }

    [Fact]
    public void Relu_masks_non_positive_values_and_sigmoid_is_logistic()
    {
        using var x = _p.Allocate(new TensorShape(1, 4));
        _p.Upload([-1f, 0, 0.5f, 2], x);
        using var relu = new Relu(_p, "r", new TensorShape(4));
        Assert.Equal([0.0, 0, 0.5, 2], NnTestData.Download(relu.Forward(x, true)));
        using var dy = _p.Allocate(new TensorShape(1, 4));
        _p.Fill(dy, 1);
        Assert.Equal([0.0, 0, 1, 1], NnTestData.Download(relu.Backward(dy)!)); // x ≤ 0 → 0, as the seed's mask
        using var sigmoid = new Sigmoid(_p, "s", new TensorShape(4));
        var s = NnTestData.Download(sigmoid.Forward(x, true));
        Near(1 / (1 + Math.Exp(1)), s[0], "sigmoid(−1)");
        Near(0.5, s[1], "sigmoid(0)");
    }
}
