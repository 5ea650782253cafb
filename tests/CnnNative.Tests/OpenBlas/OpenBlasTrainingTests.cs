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
        var managed = StrokeLossCurve.Measure("managed", Batch, Steps);
        var openblas = StrokeLossCurve.Measure("openblas", Batch, Steps);
        double largest = 0;
        for (int s = 0; s < Steps; s++)
        {
            double diff = Math.Abs(openblas[s] - managed[s]);
            largest = Math.Max(largest, diff);
            Assert.True(diff <= Tolerance, $"step {s}: openblas loss {openblas[s]:R}, managed {managed[s]:R}");
        }
        output.WriteLine($"losses: managed {managed[0]:F4} → {managed[^1]:F4}, openblas {openblas[0]:F4} → {openblas[^1]:F4}; largest difference {largest:E2}");
        Assert.True(StrokeLossCurve.Mean(openblas, Steps - 10, Steps) < 0.6 * StrokeLossCurve.Mean(openblas, 0, 10), "simple-conv did not learn the strokes on openblas");
    }
}
