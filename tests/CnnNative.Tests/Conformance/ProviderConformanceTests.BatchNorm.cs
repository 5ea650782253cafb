using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Batch normalisation per channel (N, C, H·W) and per activation (N, F, 1): training
// forward (outputs, saved statistics, running averages), inference (also in place) and backward.
public abstract partial class ProviderConformanceTests
{
    private const float BnMomentum = 0.9f, BnEpsilon = 1e-6f;

    /// <summary>Bounds of the generated data: |x| ≤ 2.5 (see <see cref="BatchNormInput"/>), γ ≤ 1.5.</summary>
    private const double BnMaxAbsX = 2.5, BnMaxGamma = 1.5;

    /// <summary>
    /// Statistics over M values in float drift by about M·ε. A normalised value also inherits
    /// the rounding of μ (or of a folded scale/shift form) amplified by γ/σ: about
    /// ε·|x|·γ·invStd, which dominates when σ is tiny (batch 1 per activation: invStd = 1/√ε).
    /// </summary>
    private static Tolerance BatchNormTolerance(in BatchNormGeometry g, double maxInvStd = 1) =>
        new(2e-5 + 4 * g.GroupSize * Tolerance.Epsilon + 8 * Tolerance.Epsilon * BnMaxAbsX * BnMaxGamma * maxInvStd, 2e-5);

    public static TheoryData<int, int, int> BatchNormShapes() => new()
    {
        { 2, 3, 25 }, { 1, 4, 49 }, { 8, 16, 1 }, { 1, 5, 1 }, { 5, 1, 7 }, { 3, 7, 13 }, { 32, 10, 1 }, { 4, 30, 144 }, { 8, 16, 289 },
    };

    /// <summary>x with a different offset per channel, so a wrong channel stride shows.</summary>
    private static float[] BatchNormInput(TestData data, in BatchNormGeometry g)
    {
        float[] x = data.Uniform(g.Length, -1, 2);
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < g.Channels; c++)
                for (int s = 0; s < g.Spatial; s++)
                    x[(n * g.Channels + c) * g.Spatial + s] += 0.25f * (c % 5) - 0.5f;
        return x;
    }

    [ProviderTheory]
    [MemberData(nameof(BatchNormShapes))]
    public void BatchNormForwardTraining_matches_the_oracle(int batch, int channels, int spatial)
    {
        var g = new BatchNormGeometry(batch, channels, spatial);
        using var h = Harness(batch, channels, spatial, 61);
        string what = $"BatchNormForwardTraining ({batch}, {channels}, {spatial})";
        // Twice: the running averages must compound.
        var (y, saveMean, saveInvStd, runningMean, runningVar) = RunForwardTraining(h, g, BatchNormInput(h.Data, g), steps: 2, what);
        var tolerance = BatchNormTolerance(g, h.Expected(saveInvStd).Max());
        h.Check(y, tolerance, what + ": y");
        h.Check(saveMean, tolerance, what + ": saveMean");
        h.Check(saveInvStd, tolerance, what + ": saveInvStd");
        h.Check(runningMean, tolerance, what + ": runningMean");
        h.Check(runningVar, tolerance, what + ": runningVar");
    }

    /// <summary>
    /// A mean 400 times the spread: Σx² − (Σx)²/M in float would lose every digit of the
    /// variance here (and a single pass over x is only safe when it shifts by something near
    /// the mean first), so 1/σ must still match the oracle to the usual tolerance.
    /// </summary>
    [ProviderTheory]
    [InlineData(4, 6, 49)]
    [InlineData(16, 3, 1)]
    public void BatchNormForwardTraining_keeps_the_variance_when_the_mean_dwarfs_the_spread(int batch, int channels, int spatial)
    {
        var g = new BatchNormGeometry(batch, channels, spatial);
        using var h = Harness(batch, channels, spatial, 64);
        float[] xs = h.Data.Uniform(g.Length, -1, 1);
        for (int i = 0; i < xs.Length; i++) xs[i] += 400f;
        string what = $"BatchNormForwardTraining ({batch}, {channels}, {spatial}) around 400";
        var (_, _, saveInvStd, _, runningVar) = RunForwardTraining(h, g, xs, steps: 1, what);
        var tolerance = BatchNormTolerance(g);
        h.Check(saveInvStd, tolerance, what + ": saveInvStd");
        h.Check(runningVar, tolerance, what + ": runningVar");
    }

    /// <summary>
    /// BatchNormForwardTraining on x = <paramref name="xs"/> with drawn γ, β and running statistics,
    /// <paramref name="steps"/> times on the same tensors; returns the tensors to check.
    /// </summary>
    private static (TensorPair Y, TensorPair SaveMean, TensorPair SaveInvStd, TensorPair RunningMean, TensorPair RunningVar) RunForwardTraining(
        OpHarness h, BatchNormGeometry g, float[] xs, int steps, string what)
    {
        var shape = new TensorShape(g.Batch, g.Channels, g.Spatial);
        var x = h.Input(shape, xs);
        var gamma = h.Input(g.Channels, h.Data.Uniform(g.Channels, 0.5f, 1.5f));
        var beta = h.Input(g.Channels, h.Data.Uniform(g.Channels));
        var runningMean = h.State(g.Channels, h.Data.Uniform(g.Channels));
        var runningVar = h.State(g.Channels, h.Data.Uniform(g.Channels, 0.5f, 2));
        var y = h.Output(shape, Prefill.NaN);
        var saveMean = h.Output(g.Channels);
        var saveInvStd = h.Output(g.Channels);
        for (int step = 0; step < steps; step++)
            h.Run((p, t) => p.BatchNormForwardTraining(t(x), g, t(gamma), t(beta), t(runningMean), t(runningVar),
                BnMomentum, BnEpsilon, t(y), t(saveMean), t(saveInvStd)), what);
        return (y, saveMean, saveInvStd, runningMean, runningVar);
    }

    [ProviderTheory]
    [MemberData(nameof(BatchNormShapes))]
    public void BatchNormForwardInference_matches_the_oracle(int batch, int channels, int spatial)
    {
        var g = new BatchNormGeometry(batch, channels, spatial);
        foreach (bool inPlace in new[] { false, true })
        {
            using var h = Harness(batch, channels, spatial, inPlace ? 1 : 0, 62);
            var shape = new TensorShape(batch, channels, spatial);
            float[] xs = BatchNormInput(h.Data, g);
            var gamma = h.Input(channels, h.Data.Uniform(channels, 0.5f, 1.5f));
            var beta = h.Input(channels, h.Data.Uniform(channels));
            var mean = h.Input(channels, h.Data.Uniform(channels, -0.5f, 0.5f));
            var variance = h.Input(channels, h.Data.Uniform(channels, 0.1f, 2));
            TensorPair x, y;
            if (inPlace) x = y = h.State(shape, xs);
            else { x = h.Input(shape, xs); y = h.Output(shape, Prefill.NaN); }
            string what = $"BatchNormForwardInference ({batch}, {channels}, {spatial}){(inPlace ? " in place" : "")}";
            h.Run((p, t) => p.BatchNormForwardInference(t(x), g, t(gamma), t(beta), t(mean), t(variance), BnEpsilon, t(y)), what);
            h.Check(y, BatchNormTolerance(g), what);
        }
    }

    [ProviderTheory]
    [MemberData(nameof(BatchNormShapes))]
    public void BatchNormBackward_matches_the_oracle(int batch, int channels, int spatial)
    {
        var g = new BatchNormGeometry(batch, channels, spatial);
        foreach (bool inPlace in new[] { false, true })
        {
            using var h = Harness(batch, channels, spatial, inPlace ? 1 : 0, 63);
            var shape = new TensorShape(batch, channels, spatial);
            float[] xs = BatchNormInput(h.Data, g);
            float[] gammas = h.Data.Uniform(channels, 0.5f, 1.5f);
            var (means, invStds) = OracleBatchStatistics(g, xs);
            var x = h.Input(shape, xs);
            var gamma = h.Input(channels, gammas);
            var saveMean = h.Input(channels, means);
            var saveInvStd = h.Input(channels, invStds);
            float[] dys = h.Data.Uniform(g.Length);
            TensorPair dy, dx;
            if (inPlace) dy = dx = h.State(shape, dys);
            else { dy = h.Input(shape, dys); dx = h.Output(shape, Prefill.NaN); }
            var dgamma = h.Output(channels);
            var dbeta = h.Output(channels, Prefill.NaN);
            string what = $"BatchNormBackward ({batch}, {channels}, {spatial}){(inPlace ? ", dx is dy" : "")}";
            h.Run((p, t) => p.BatchNormBackward(t(dy), t(x), g, t(gamma), t(saveMean), t(saveInvStd), t(dx), t(dgamma), t(dbeta)), what);
            h.Check(dbeta, Tolerance.Sum(g.GroupSize, 1), what + ": dbeta");
            h.Check(dgamma, Tolerance.Sum(g.GroupSize, 3), what + ": dgamma");
            h.Check(dx, BatchNormTolerance(g, invStds.Max()), what + ": dx");
        }
    }

    /// <summary>The oracle's saved mean and 1/σ for <paramref name="x"/>, so backward gets consistent inputs on both sides.</summary>
    private (float[] Mean, float[] InvStd) OracleBatchStatistics(in BatchNormGeometry g, float[] x)
    {
        var shape = new TensorShape(g.Length);
        using var xs = Oracle.Allocate(shape);
        using var y = Oracle.Allocate(shape);
        using var gamma = Oracle.Allocate(new TensorShape(g.Channels));
        using var beta = Oracle.Allocate(new TensorShape(g.Channels));
        using var runningMean = Oracle.Allocate(new TensorShape(g.Channels));
        using var runningVar = Oracle.Allocate(new TensorShape(g.Channels));
        using var mean = Oracle.Allocate(new TensorShape(g.Channels));
        using var invStd = Oracle.Allocate(new TensorShape(g.Channels));
        Oracle.Upload(x, xs);
        Oracle.Fill(gamma, 1f);
        Oracle.BatchNormForwardTraining(xs, g, gamma, beta, runningMean, runningVar, BnMomentum, BnEpsilon, y, mean, invStd);
        var means = new float[g.Channels];
        var invStds = new float[g.Channels];
        Oracle.Download(mean, means);
        Oracle.Download(invStd, invStds);
        return (means, invStds);
    }
}
