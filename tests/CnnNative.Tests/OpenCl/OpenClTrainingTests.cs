using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Nn;
using Xunit.Abstractions;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// The layers of CnnNative.Nn, unchanged, training on the OpenCL device: the same curve as
/// the managed provider, only the batch up and the reported scalars down per step, and every
/// device buffer back when the network is gone.
/// </summary>
public sealed class OpenClTrainingTests(ITestOutputHelper output)
{
    private const int Batch = 16;
    private static readonly TensorShape Sample = new(1, SyntheticStrokes.Size, SyntheticStrokes.Size);
    private static readonly int SampleLength = Sample.Length;

    /// <summary>
    /// 50 Adam steps of simple-conv from the same seed on the same batches. The providers
    /// round differently (fused multiply-adds, summation order, split-K GEMM) and Adam's
    /// normalised steps carry those differences forward, so the curves agree to a tolerance,
    /// not bit for bit: every step's loss within 1e-4 of the managed one (measured on pocl:
    /// at most 2.4e-7, so the bound leaves room for other devices' rounding, yet a wrong
    /// gradient anywhere moves the curve by far more).
    /// </summary>
    [ProviderFact("opencl")]
    public void Simple_conv_follows_the_managed_loss_curve()
    {
        const int steps = 50;
        const double Tolerance = 1e-4;
        var managed = StrokeLossCurve.Measure("managed", Batch, steps);
        var opencl = StrokeLossCurve.Measure("opencl", Batch, steps);
        double worst = 0, largest = 0;
        for (int s = 0; s < steps; s++)
        {
            double diff = Math.Abs(opencl[s] - managed[s]);
            largest = Math.Max(largest, diff);
            worst = Math.Max(worst, diff / Tolerance);
            Assert.True(diff <= Tolerance,
                $"step {s}: opencl loss {opencl[s]:R}, managed {managed[s]:R}");
        }
        output.WriteLine($"losses: managed {managed[0]:F4} → {managed[^1]:F4}, opencl {opencl[0]:F4} → {opencl[^1]:F4}; largest difference {largest:E2}, {worst:P1} of the tolerance");
        Assert.True(StrokeLossCurve.Mean(opencl, steps - 10, steps) < 0.6 * StrokeLossCurve.Mean(opencl, 0, 10), "simple-conv did not learn the strokes on opencl");
    }

    [ProviderFact("opencl")]
    public void A_training_step_moves_only_the_batch_up_and_the_scalars_down()
    {
        using var p = (OpenClProvider)TestProviders.Create("opencl");
        var (images, labels) = SyntheticStrokes.Make(Batch * 4, seed: 3);
        using var net = Network.Build(ModelPresets.Create(ModelPresets.SimpleConv, SyntheticStrokes.Classes), Sample, SyntheticStrokes.Classes, p, seed: 1);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        using var x = p.Allocate(new TensorShape([Batch, .. Sample.Dimensions]));
        using var t = p.Allocate(new TensorShape(Batch));

        void Step(int b, bool report)
        {
            p.Upload(images.AsSpan(b * Batch * SampleLength, Batch * SampleLength), x);
            p.Upload(labels.AsSpan(b * Batch, Batch), t);
            net.TrainStep(x, t, optimizer);
            net.CountCorrect(t);
            if (report) { net.ReadLoss(); net.ReadCorrect(); }
        }

        Step(0, true);   // warm: kernels compiled, workspaces sized
        var before = p.Transfers;
        for (int b = 0; b < 4; b++) Step(b, report: true);
        var moved = p.Transfers - before;
        long batchBytes = (long)Batch * (SampleLength + 1) * sizeof(float);
        Assert.Equal(new TransferStatistics(Uploads: 8, UploadedBytes: 4 * batchBytes, Downloads: 8, DownloadedBytes: 8 * sizeof(float)), moved);

        before = p.Transfers;
        net.TrainStep(x, t, optimizer);   // the step itself moves nothing
        net.Predict(x);                   // nor does inference
        net.CountCorrect(t);
        p.Synchronize();
        Assert.Equal(default, p.Transfers - before);
    }

    [ProviderFact("opencl")]
    public void Training_then_disposing_returns_every_device_buffer()
    {
        using var p = (OpenClProvider)TestProviders.Create("opencl");
        Assert.Equal(0, p.LiveBuffers);
        using (var net = Network.Build(NetworkTests.EveryLayerSpec(), new TensorShape(2, 6, 6), 3, p, seed: 2))
        using (var optimizer = Optimizer.Create(OptimizerSettings.For("momentum"), net.Parameters))
        using (var x = NnTestData.Random(p, 1, 5, 2, 6, 6))
        using (var t = NnTestData.Labels(p, 5, 3))
        {
            for (int i = 0; i < 3; i++) net.TrainStep(x, t, optimizer);
            net.Predict(x);
            Assert.True(p.LiveBuffers > 0);
            net.ReadLoss();
        }
        Assert.Equal(0, p.LiveBuffers);
    }

    [ProviderFact("opencl")]
    public void A_thousand_steps_keep_device_memory_flat()
    {
        using var p = (OpenClProvider)TestProviders.Create("opencl");
        using var net = Network.Build(NetworkTests.EveryLayerSpec(), new TensorShape(2, 6, 6), 3, p, seed: 4);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        using var x = NnTestData.Random(p, 1, 4, 2, 6, 6);
        using var t = NnTestData.Labels(p, 4, 3);
        for (int i = 0; i < 5; i++) net.TrainStep(x, t, optimizer);
        net.ReadLoss();
        int buffers = p.LiveBuffers;
        long bytes = p.LiveBytes;
        for (int i = 1; i <= 1000; i++)
        {
            net.TrainStep(x, t, optimizer);
            if (i % 100 != 0) continue;
            Assert.True(float.IsFinite(net.ReadLoss()), $"loss not finite at step {i}");   // also drains the queue
            Assert.Equal(buffers, p.LiveBuffers);
            Assert.Equal(bytes, p.LiveBytes);
        }
    }
}
