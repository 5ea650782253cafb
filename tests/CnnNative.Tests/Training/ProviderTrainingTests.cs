using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Training;

/// <summary>
/// The trainer on the provider under test: it learns the synthetic data, its loss curve agrees
/// with the managed provider's, its checkpoints load anywhere, and Ctrl+C + resume repeats the
/// uninterrupted run bit for bit. Written once; each provider binds it with a five-line class.
/// </summary>
public abstract class ProviderTrainingTests : IClassFixture<ProviderFixture>, IDisposable
{
    private readonly TempFolder _dir = new("provider-training");

    protected ProviderTrainingTests(ProviderFixture fixture)
    {
        ProviderName = ProviderUnderTestAttribute.Of(GetType());
        Fixture = fixture;
    }

    protected string ProviderName { get; }

    private ProviderFixture Fixture { get; }

    private IComputeProvider Provider => Fixture.Provider(ProviderName);

    public void Dispose() => _dir.Dispose();

    private static readonly TrainingSettings Settings = new()
    {
        Epochs = 2, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("adam", 0.01f), Seed = 21,
    };

    private static TrainingResult Train(IComputeProvider provider, string? checkpointPath = null, RecordingProgress? progress = null,
        TrainingSettings? settings = null)
    {
        settings ??= Settings;
        using var network = SyntheticData.Build(provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = checkpointPath };
        return trainer.Run(progress, progress?.Cancellation.Token ?? default);
    }

    [ProviderFact]
    public void The_trainer_learns_and_its_loss_curve_agrees_with_the_managed_provider()
    {
        var result = Train(Provider);
        using var managed = new ManagedProvider(2);
        var expected = Train(managed);

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.True(result.FinalTestAccuracy >= 0.9, $"{ProviderName}: test accuracy {result.FinalTestAccuracy}");
        for (int e = 0; e < 2; e++)
        {
            // Different summation orders (GEMM blocking, reductions) make float results differ in
            // the last bits; over 26 steps that stays far below 1 % of the loss.
            double loss = expected.History[e].Loss;
            Assert.True(Math.Abs(result.History[e].Loss - loss) <= 0.01 * loss,
                $"{ProviderName} epoch {e + 1} loss {result.History[e].Loss} vs managed {loss}");
            Assert.True(Math.Abs(result.History[e].TestAccuracy - expected.History[e].TestAccuracy) <= 2.0 / 120,
                $"{ProviderName} epoch {e + 1} test accuracy {result.History[e].TestAccuracy} vs managed {expected.History[e].TestAccuracy}");
        }
    }

    [ProviderFact]
    public void Augmented_batches_are_the_same_on_this_provider_as_on_the_managed_provider()
    {
        var augmented = Settings with { Epochs = 1, Augmentation = new Augmentation { Shift = 1, Flip = true, Erase = 3 } };
        var result = Train(Provider, settings: augmented);
        using var managed = new ManagedProvider(2);
        var expected = Train(managed, settings: augmented);
        var plain = Train(managed, settings: Settings with { Epochs = 1 });

        double loss = expected.History[0].Loss;
        Assert.True(Math.Abs(result.History[0].Loss - loss) <= 0.01 * loss,
            $"{ProviderName} augmented loss {result.History[0].Loss} vs managed {loss}");
        // The batches really changed: an unaugmented epoch has another loss.
        Assert.True(Math.Abs(plain.History[0].Loss - loss) > 0.01 * loss, $"augmented loss {loss} equals the plain {plain.History[0].Loss}");
    }

    [ProviderFact]
    public void A_checkpoint_written_on_this_provider_evaluates_the_same_on_the_managed_provider()
    {
        string path = _dir.File("run.safetensors");
        var result = Train(Provider, path);
        var checkpoint = ModelCheckpoint.Open(path);
        Assert.Equal(ProviderName, checkpoint.Metadata.Provider);

        using var managed = new ManagedProvider(2);
        using var network = checkpoint.LoadNetwork(managed);
        using var evaluator = new Evaluator(network, 50);
        Assert.True(Math.Abs(evaluator.Accuracy(SyntheticData.Test()) - result.FinalTestAccuracy) <= 1.0 / 120);
    }

    [ProviderFact]
    public void Interrupting_and_resuming_on_this_provider_reproduces_the_uninterrupted_run_bit_for_bit()
    {
        var train = SyntheticData.Train();
        var test = SyntheticData.Test();
        Dictionary<string, float[]> expected;
        using (var network = SyntheticData.Build(Provider, Settings.Seed))
        using (var trainer = new Trainer(network, train, test, Settings))
        {
            trainer.Run();
            expected = ResumeTests.Snapshot(network, trainer.Optimizer);
        }

        string path = _dir.File("stopped.safetensors");
        var progress = new RecordingProgress { CancelAt = (1, 9) };
        Assert.Equal(TrainingOutcome.Interrupted, Train(Provider, path, progress).Outcome);

        var checkpoint = ModelCheckpoint.Open(path);
        using var resumedNetwork = SyntheticData.Build(Provider, Settings.Seed);
        using var resumed = new Trainer(resumedNetwork, train, test, Settings);
        resumed.Resume(checkpoint);
        Assert.Equal(TrainingOutcome.Completed, resumed.Run().Outcome);
        var actual = ResumeTests.Snapshot(resumedNetwork, resumed.Optimizer);
        foreach (var (name, values) in expected)
            ResumeTests.AssertBitwiseEqual($"{ProviderName} {name}", values, actual[name]);
    }
}

[ProviderUnderTest("managed")]
public sealed class ManagedTrainingTests(ProviderFixture fixture) : ProviderTrainingTests(fixture);

[ProviderUnderTest("openblas")]
public sealed class OpenBlasTrainingTests(ProviderFixture fixture) : ProviderTrainingTests(fixture);

[ProviderUnderTest("opencl")]
public sealed class OpenClTrainingTests(ProviderFixture fixture) : ProviderTrainingTests(fixture);
