using BenchmarkDotNet.Attributes;
using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Bench.Suites;

/// <summary>
/// One whole training step — forward, softmax cross-entropy, backward, Adam update — of a
/// built-in model at batch 100 on 28×28 single-channel input (Fashion-MNIST's shape), with
/// the batch already on the provider. On a CPU provider the memory diagnoser must show 0 B:
/// a warm step allocates nothing. Run: <c>./build.sh bench '*TrainingStepBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks : ProviderSuite
{
    public const int Batch = 100;
    private Network _net = null!;
    private Optimizer _optimizer = null!;
    private Tensor _x = null!, _labels = null!;

    [Params(ModelPresets.SimpleConv, ModelPresets.VggSmall)]
    public string Model { get; set; } = ModelPresets.SimpleConv;

    [GlobalSetup]
    public void Setup()
    {
        StartProvider();
        _net = Network.Build(ModelPresets.Create(Model), new TensorShape(1, 28, 28), 10, P, seed: 1);
        _optimizer = Optimizer.Create(OptimizerSettings.For("adam"), _net.Parameters);
        var rng = new Random(5);
        _x = Zeros(Batch, 1, 28, 28);
        var pixels = new float[_x.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)rng.NextDouble();
        P.Upload(pixels, _x);
        _labels = Zeros(Batch);
        var labels = new float[Batch];
        for (int i = 0; i < Batch; i++) labels[i] = rng.Next(10);
        P.Upload(labels, _labels);
    }

    [Benchmark]
    public void Step()
    {
        _net.TrainStep(_x, _labels, _optimizer);
        P.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _net?.Dispose();
        StopProvider();
    }
}
