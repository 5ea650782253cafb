using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.OpenCl;
using Xunit.Abstractions;

namespace CnnNative.Tests.OpenBlas;

/// <summary>
/// The layers of CnnNative.Nn, unchanged, training simple-conv on openblas: the same loss
/// curve as the managed provider from the same seed on the same batches, with the GEMMs in
/// cblas_sgemm and every other kernel shared.
/// </summary>
public sealed class OpenBlasTrainingTests(ITestOutputHelper output)
{
    private const int Batch = 16;
    private static readonly TensorShape Sample = new(1, SyntheticStrokes.Size, SyntheticStrokes.Size);

    /// <summary>
    /// 50 Adam steps. Only the GEMMs differ between the two providers (blocking and summation
    /// order), and Adam carries those roundings forward, so the curves agree to a tolerance,
    /// not bit for bit: every step's loss within 1e-4 of the managed one, while a wrong
    /// transpose or leading dimension would move the curve by orders of magnitude more.
    /// </summary>
    [ProviderFact("openblas")]
    public void SimpleConvFollowsTheManagedLossCurveAndLearns()
    {
        const int Steps = 50;
        const double Tolerance = 1e-4;
        var managed = Curve("managed", Steps);
        var openblas = Curve("openblas", Steps);
        double largest = 0;
        for (int s = 0; s < Steps; s++)
        {
            double diff = Math.Abs(openblas[s] - managed[s]);
            largest = Math.Max(largest, diff);
            Assert.True(diff <= Tolerance, $"step {s}: openblas loss {openblas[s]:R}, managed {managed[s]:R}");
        }
        output.WriteLine($"losses: managed {managed[0]:F4} → {managed[^1]:F4}, openblas {openblas[0]:F4} → {openblas[^1]:F4}; largest difference {largest:E2}");
        Assert.True(Mean(openblas, Steps - 10, Steps) < 0.6 * Mean(openblas, 0, 10), "simple-conv did not learn the strokes on openblas");
    }

    private static List<double> Curve(string provider, int steps)
    {
        using var p = TestProviders.Create(provider);
        const int Batches = 10;
        int sampleLength = Sample.Length;
        var (images, labels) = SyntheticStrokes.Make(Batch * Batches, seed: 11);
        using var net = Network.Build(ModelPresets.Create(ModelPresets.SimpleConv, SyntheticStrokes.Classes), Sample, SyntheticStrokes.Classes, p, seed: 5);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        using var x = p.Allocate(new TensorShape([Batch, .. Sample.Dimensions]));
        using var t = p.Allocate(new TensorShape(Batch));
        var losses = new List<double>(steps);
        for (int s = 0; s < steps; s++)
        {
            int b = s % Batches;
            p.Upload(images.AsSpan(b * Batch * sampleLength, Batch * sampleLength), x);
            p.Upload(labels.AsSpan(b * Batch, Batch), t);
            net.TrainStep(x, t, optimizer);
            losses.Add(net.ReadLoss());
        }
        return losses;
    }

    private static double Mean(List<double> values, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++) sum += values[i];
        return sum / (to - from);
    }
}
