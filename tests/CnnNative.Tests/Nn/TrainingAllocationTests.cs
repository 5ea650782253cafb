using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Nn;

/// <summary>
/// A warm training step on a CPU provider allocates nothing on the managed heap: layers reuse
/// their batch-sized buffers (and the views for a smaller last batch), optimizers and the
/// provider allocate nothing per call.
/// </summary>
public sealed class TrainingAllocationTests
{
    [ProviderTheory("managed")]
    [InlineData("every-layer")]
    [InlineData("simple-conv")]
    [InlineData("3x3-stack")]
    [InlineData("resnet-small")]
    public void Warm_training_steps_allocate_nothing_on_managed(string model) => WarmStepsAllocateNothing("managed", model);

    /// <summary>Each convolution algorithm forced (Auto, the default, measures them all in the first steps above).</summary>
    [ProviderTheory("managed")]
    [InlineData(CnnNative.Providers.Managed.ConvolutionAlgorithm.Winograd)]
    [InlineData(CnnNative.Providers.Managed.ConvolutionAlgorithm.Im2Col)]
    [InlineData(CnnNative.Providers.Managed.ConvolutionAlgorithm.Direct)]
    [InlineData(CnnNative.Providers.Managed.ConvolutionAlgorithm.ShiftedGemm)]
    public void Warm_training_steps_allocate_nothing_with_each_convolution_algorithm(CnnNative.Providers.Managed.ConvolutionAlgorithm algorithm) =>
        WarmStepsAllocateNothing("managed", "3x3-stack", algorithm);

    [ProviderTheory("openblas")]
    [InlineData("every-layer")]
    [InlineData("simple-conv")]
    [InlineData("resnet-small")]
    public void Warm_training_steps_allocate_nothing_on_openblas(string model) => WarmStepsAllocateNothing("openblas", model);

    internal static void WarmStepsAllocateNothing(string providerName, string model,
        CnnNative.Providers.Managed.ConvolutionAlgorithm algorithm = CnnNative.Providers.Managed.ConvolutionAlgorithm.Auto)
    {
        using var provider = TestProviders.Create(providerName);
        if (provider is CnnNative.Providers.Managed.ManagedProvider managed) managed.ConvolutionAlgorithm = algorithm;
        var (spec, input, classes) = model switch
        {
            "simple-conv" or "resnet-small" => (ModelPresets.Create(model), new TensorShape(1, 28, 28), 10),
            "3x3-stack" => (ThreeByThreeStack(), new TensorShape(1, 12, 12), 4),
            _ => (NetworkTests.EveryLayerSpec(), new TensorShape(2, 6, 6), 3),
        };
        // resnet-small is 20 times the work of simple-conv per image: smaller batches keep the test quick.
        var (big, small) = model == "resnet-small" ? (4, 3) : (16, 5);
        using var net = Network.Build(spec, input, classes, provider, seed: 1);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        var data = new TestData(3);
        // A full batch and a smaller last batch, as an epoch that does not divide evenly has.
        using var xBig = Upload(provider, data.Uniform(big * input.Length, 0, 1), big, input);
        using var tBig = Upload(provider, data.Labels(big, classes), big);
        using var xSmall = Upload(provider, data.Uniform(small * input.Length, 0, 1), small, input);
        using var tSmall = Upload(provider, data.Labels(small, classes), small);

        void Step(Tensor x, Tensor t)
        {
            net.TrainStep(x, t, optimizer);
            net.ReadLoss();
            net.CountCorrect(t);
            net.Predict(x);
        }

        for (int i = 0; i < 3; i++) { Step(xBig, tBig); Step(xSmall, tSmall); }
        net.ResetCorrect();
        // The calling thread and the CPU providers' worker threads (process-wide counters would
        // also see other tests running in parallel); OpenBLAS's own threads are native.
        WorkerBytes(provider); // once before measuring, so its own JIT compilation is not counted
        var (allocated, workers) = SteadyStateAllocation.Measure(
            () => { for (int i = 0; i < 10; i++) { Step(xBig, tBig); Step(xSmall, tSmall); } },
            () => WorkerBytes(provider));
        net.ReadCorrect();
        Assert.True(allocated == 0, $"20 warm training steps of {model} on {providerName} allocated {allocated} bytes");
        Assert.True(workers == 0, $"20 warm training steps of {model} on {providerName} allocated {workers} bytes on worker threads");
    }

    /// <summary>3×3 stride-1 layers of several channels (the geometries Winograd takes) around batch-norm and a pool.</summary>
    private static ModelSpec ThreeByThreeStack() => new()
    {
        Name = "3x3-stack",
        Init = WeightInit.He,
        Layers =
        [
            LayerSpec.Conv(8, 3, 1, 1), LayerSpec.BatchNorm(), LayerSpec.Relu(),
            LayerSpec.Conv(16, 3, 1, 1), LayerSpec.Relu(), LayerSpec.MaxPool(2, 2),
            LayerSpec.Conv(16, 3, 1, 0), LayerSpec.Relu(),
            LayerSpec.Affine(4),
        ],
    };

    private static long WorkerBytes(IComputeProvider provider) =>
        provider is CnnNative.Providers.Managed.ManagedProvider cpu ? cpu.WorkerAllocatedBytes : 0;

    private static Tensor Upload(IComputeProvider provider, float[] values, int batch, TensorShape? sample = null)
    {
        var t = provider.Allocate(sample is null ? new TensorShape(batch) : new TensorShape([batch, .. sample.Value.Dimensions]));
        provider.Upload(values, t);
        return t;
    }
}
