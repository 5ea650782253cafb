using CnnNative.Bench.Profile;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Bench;

/// <summary>The per-operation profile of a training step runs and accounts for the step's operations (never its timings).</summary>
public sealed class StepProfileTests
{
    [ProviderFact("managed")]
    public void A_simple_conv_step_is_broken_down_into_its_operations()
    {
        // Direct forced: under auto a busy machine can time im2col as the winner for conv1.
        var result = StepProfile.Measure("simple-conv", batch: 8, warmupSteps: 1, steps: 2, threads: 1, ConvolutionAlgorithm.Direct);

        var names = result.Rows.Select(r => r.Operation).ToList();
        // conv1 (1→30 5×5) runs direct: no im2col matrix, no transposes.
        Assert.Contains("ConvolutionForward (direct) 4608×30×25", names);
        Assert.Contains("ConvolutionWeightGradient (direct) 30×25×4608", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Im2Col", StringComparison.Ordinal) || n.StartsWith("BatchedTranspose", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("MaxPoolBackward", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("Gemm NT 8×4320×100", StringComparison.Ordinal)); // affine1 forward
        Assert.DoesNotContain(names, n => n.StartsWith("Col2Im", StringComparison.Ordinal)); // the first layer needs no dL/dx
        Assert.Equal(1.0, result.Rows.Single(r => r.Operation == "ConvolutionForward (direct) 4608×30×25").CallsPerStep);
        // One Adam update per parameter: W and b of conv1, affine1 and affine2.
        Assert.Equal(6.0, result.Rows.Where(r => r.Operation.StartsWith("AdamStep", StringComparison.Ordinal)).Sum(r => r.CallsPerStep));
    }
}
