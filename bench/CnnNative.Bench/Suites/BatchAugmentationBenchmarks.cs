using BenchmarkDotNet.Attributes;
using CnnNative.Data;

namespace CnnNative.Bench.Suites;

/// <summary>
/// Filling one training batch of 100 Fashion-MNIST-sized images (1×28×28, shuffled order) on the
/// host, without and with augmentation: the work <c>--augment</c> adds to every step, to set
/// beside <see cref="TrainingStepBenchmarks"/>' simple-conv step at the same batch (the issue's
/// bound is 10 % of an epoch). Host work only, so no provider parameter.
/// Run: <c>dotnet CnnNative.Bench.dll quick BatchAugmentation TrainingStep</c>.
/// </summary>
[MemoryDiagnoser]
public class BatchAugmentationBenchmarks
{
    private const int Samples = 6000, Side = 28;
    private Batcher _batcher = null!;
    private readonly float[] _images = new float[TrainingStepBenchmarks.Batch * Side * Side];
    private readonly float[] _labels = new float[TrainingStepBenchmarks.Batch];

    /// <summary>The <c>--augment</c> text; "none" copies samples unchanged.</summary>
    [Params("none", "shift:2", "flip", "erase", "shift:2,flip,erase")]
    public string Augment { get; set; } = "none";

    /// <summary>A data set of random pixels and a shuffling batcher with <see cref="Augment"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        var pixels = new float[Samples * Side * Side];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)rng.NextDouble();
        var labels = new float[Samples];
        for (int i = 0; i < Samples; i++) labels[i] = i % 10;
        var data = new Dataset("bench", pixels, labels, 1, Side, Side, ClassNames.Digits);
        _batcher = Batcher.ForTraining(data, TrainingStepBenchmarks.Batch, seed: 1);
        _batcher.Augmentation = Augmentation.Parse(Augment, Side, Side);
    }

    /// <summary>The next batch (a new epoch after the last), as the trainer takes it.</summary>
    [Benchmark]
    public void FillBatch()
    {
        if (!_batcher.TryNext(_images, _labels, out _))
        {
            _batcher.StartEpoch(_batcher.Position.Epoch + 1);
            _batcher.TryNext(_images, _labels, out _);
        }
    }
}
