using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Nn;

namespace CnnNative.Tests.OpenCl;

/// <summary>Enqueuing a warm training step allocates nothing on the managed heap (no boxing, closures or marshalling garbage per kernel launch).</summary>
public sealed class OpenClAllocationTests
{
    [ProviderTheory("opencl")]
    [InlineData("every-layer")]
    [InlineData("simple-conv")]
    public void Warm_training_steps_allocate_nothing_on_opencl(string model) =>
        TrainingAllocationTests.WarmStepsAllocateNothing("opencl", model);
}
