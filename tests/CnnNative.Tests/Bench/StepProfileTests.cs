using CnnNative.Bench.Profile;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Bench;

/// <summary>The per-operation profile of a training step runs and accounts for the step's operations (never its timings).</summary>
public sealed class StepProfileTests
{
    [ProviderFact("managed")]
    public void A_simple_conv_step_is_broken_down_into_its_operations()
    {
        var result = StepProfile.Measure("simple-conv", batch: 8, warmupSteps: 1, steps: 2, threads: 1);

        var names = result.Rows.Select(r => r.Operation).ToList();
        Assert.Contains(names, n => n.StartsWith("Gemm NT 4608×30×25", StringComparison.Ordinal)); // conv forward: col·Wᵀ, M = 8·24·24
        Assert.Contains(names, n => n.StartsWith("Im2Col 8×1×28×28 k5", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("MaxPoolBackward", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("AdamStep", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("Col2Im", StringComparison.Ordinal)); // the first layer needs no dL/dx
        var gemm = result.Rows.Single(r => r.Operation == "Gemm NT 4608×30×25");
        Assert.Equal(1.0, gemm.CallsPerStep);
        // One Adam update per parameter: W and b of conv1, affine1 and affine2.
        Assert.Equal(6.0, result.Rows.Where(r => r.Operation.StartsWith("AdamStep", StringComparison.Ordinal)).Sum(r => r.CallsPerStep));
    }
}
