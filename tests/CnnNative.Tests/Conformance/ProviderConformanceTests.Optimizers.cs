using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// In-place optimizer updates, each repeated for several steps with fresh gradients so that
// the state they carry (velocity, h, m, v) is read back and compounds.
public abstract partial class ProviderConformanceTests
{
    private const int OptimizerSteps = 5;

    public static TheoryData<int, float> OptimizerData()
    {
        var data = new TheoryData<int, float>();
        foreach (int length in new[] { 1, 7, 16, 33, 257, 4099, 140_001 })
        {
            data.Add(length, 0f);
            data.Add(length, 0.01f);
        }
        return data;
    }

    /// <summary>Float rounding per step on O(1) values, compounding over the steps.</summary>
    private static Tolerance OptimizerTolerance => new Tolerance(8 * Tolerance.Epsilon, 1e-5).Times(OptimizerSteps);

    /// <summary>Runs <paramref name="step"/> <see cref="OptimizerSteps"/> times with new gradients, checking param and state after each.</summary>
    private void Optimize(int length, float weightDecay, string name, Func<OpHarness, TensorPair[]> makeState,
        Action<IComputeProvider, Func<TensorPair, Tensor>, TensorPair, TensorPair, TensorPair[], int> step)
    {
        using var h = Harness(length, BitConverter.SingleToInt32Bits(weightDecay), name.Length, 81);
        var param = h.State(length, h.Data.Uniform(length));
        var grad = h.Input(length, h.Data.Uniform(length));
        TensorPair[] state = makeState(h);
        for (int t = 1; t <= OptimizerSteps; t++)
        {
            if (t > 1) h.Reload(grad, h.Data.Uniform(length));
            string what = $"{name} length {length}, weight decay {weightDecay}, step {t}";
            h.Run((p, side) => step(p, side, param, grad, state, t), what);
            h.Check(param, OptimizerTolerance, what + ": param");
            for (int i = 0; i < state.Length; i++) h.Check(state[i], OptimizerTolerance, $"{what}: state {i}");
        }
    }

    [ProviderTheory]
    [MemberData(nameof(OptimizerData))]
    public void SgdStep_matches_the_oracle(int length, float weightDecay) =>
        Optimize(length, weightDecay, "SgdStep", _ => [],
            (p, t, param, grad, _, _) => p.SgdStep(t(param), t(grad), 0.1f, weightDecay));

    [ProviderTheory]
    [MemberData(nameof(OptimizerData))]
    public void MomentumStep_matches_the_oracle(int length, float weightDecay) =>
        Optimize(length, weightDecay, "MomentumStep", h => [h.State(length, h.Data.Uniform(length, -0.1f, 0.1f))],
            (p, t, param, grad, s, _) => p.MomentumStep(t(param), t(grad), t(s[0]), 0.05f, 0.9f, weightDecay));

    [ProviderTheory]
    [MemberData(nameof(OptimizerData))]
    public void NesterovStep_matches_the_oracle(int length, float weightDecay) =>
        Optimize(length, weightDecay, "NesterovStep", h => [h.State(length, h.Data.Uniform(length, -0.1f, 0.1f))],
            (p, t, param, grad, s, _) => p.NesterovStep(t(param), t(grad), t(s[0]), 0.05f, 0.9f, weightDecay));

    [ProviderTheory]
    [MemberData(nameof(OptimizerData))]
    public void AdaGradStep_matches_the_oracle(int length, float weightDecay) =>
        Optimize(length, weightDecay, "AdaGradStep", h => [h.State(length, h.Data.Uniform(length, 0f, 0.5f))],
            (p, t, param, grad, s, _) => p.AdaGradStep(t(param), t(grad), t(s[0]), 0.1f, weightDecay));

    [ProviderTheory]
    [MemberData(nameof(OptimizerData))]
    public void RmsPropStep_matches_the_oracle(int length, float weightDecay) =>
        Optimize(length, weightDecay, "RmsPropStep", h => [h.State(length, h.Data.Uniform(length, 0f, 0.5f))],
            (p, t, param, grad, s, _) => p.RmsPropStep(t(param), t(grad), t(s[0]), 0.01f, 0.99f, weightDecay));

    [ProviderTheory]
    [MemberData(nameof(OptimizerData))]
    public void AdamStep_matches_the_oracle(int length, float weightDecay)
    {
        const double lr = 0.001, beta1 = 0.9, beta2 = 0.999;
        Optimize(length, weightDecay, "AdamStep",
            h => [h.State(length, h.Data.Uniform(length, -0.1f, 0.1f)), h.State(length, h.Data.Uniform(length, 0.001f, 0.01f))],
            (p, t, param, grad, s, step) =>
            {
                // The caller folds the bias correction into the step size, as the contract says.
                float lrT = (float)(lr * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step)));
                p.AdamStep(t(param), t(grad), t(s[0]), t(s[1]), lrT, (float)beta1, (float)beta2, weightDecay);
            });
    }
}
