using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>A loss that becomes NaN or infinite stops the run and keeps the last good checkpoint.</summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("diverge");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_huge_learning_rate_in_epoch_two_stops_with_a_message_and_keeps_the_epoch_one_checkpoint()
    {
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("sgd", 0.05f), Seed = 5 };
        string path = _dir.File("run.safetensors");
        byte[]? checkpointAfterEpoch1 = null;
        using var network = SyntheticData.Build(_provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = path };
        var progress = new RecordingProgress
        {
            OnEpochDone = m =>
            {
                if (m.Epoch == 1) trainer.Optimizer.LearningRate = 1e30f; // blows the weights up during epoch 2
            },
            // The epoch's checkpoint is written after the callbacks: read it once epoch 2 runs.
            OnBatchDone = b => checkpointAfterEpoch1 ??= b.Epoch == 2 ? File.ReadAllBytes(path) : null,
        };

        var result = trainer.Run(progress);

        Assert.Equal(TrainingOutcome.Diverged, result.Outcome);
        Assert.Single(result.History);
        Assert.Matches(@"^Training stopped: the loss became (NaN|infinite) in epoch 2 \(batch(es)? [0-9–]+\); lower the learning rate \(now 1E\+30\)\. The last good checkpoint \(after epoch 1\) is kept in .*run\.safetensors\.$", result.Message);
        Assert.Equal(1, result.State.Epoch);
        Assert.Equal(checkpointAfterEpoch1, File.ReadAllBytes(path));

        // The kept checkpoint loads and holds finite weights that still classify.
        var checkpoint = ModelCheckpoint.Open(path);
        Assert.Equal(1, TrainingCheckpoint.Read(checkpoint).State.Epoch);
        using var loaded = checkpoint.LoadNetwork(_provider);
        foreach (var t in loaded.NamedTensors())
            Assert.All(ResumeTests.Download(t.Tensor), v => Assert.True(float.IsFinite(v), t.Name));
        using var evaluator = new Evaluator(loaded, 40);
        Assert.Equal(result.History[0].TestAccuracy, evaluator.Accuracy(SyntheticData.Test()), 12);
    }

    [Fact]
    public void Divergence_in_the_first_epoch_keeps_the_initial_checkpoint()
    {
        var settings = new TrainingSettings { Epochs = 2, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("sgd", 1e30f), Seed = 5 };
        string path = _dir.File("first.safetensors");
        using var network = SyntheticData.Build(_provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = path };

        var result = trainer.Run();

        Assert.Equal(TrainingOutcome.Diverged, result.Outcome);
        Assert.Empty(result.History);
        Assert.Contains("(the initial weights)", result.Message);
        var checkpoint = ModelCheckpoint.Open(path);
        Assert.Equal(TrainingState.Start, TrainingCheckpoint.Read(checkpoint).State);
        using var loaded = checkpoint.LoadNetwork(_provider);
        using var fresh = SyntheticData.Build(_provider, settings.Seed);
        foreach (var t in fresh.NamedTensors())
            ResumeTests.AssertBitwiseEqual(t.Name, ResumeTests.Download(t.Tensor), ResumeTests.Download(loaded.GetTensor(t.Name)));
    }
}
