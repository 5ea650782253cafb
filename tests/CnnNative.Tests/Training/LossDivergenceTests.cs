using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>A finite loss far above chance level is divergence too: stopped before it is checkpointed.</summary>
public sealed class LossDivergenceTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("loss-diverge");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private (TrainingResult Result, byte[] Before, byte[] After) Train(float learningRate, double factor)
    {
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("sgd", learningRate), Seed = 5 };
        string path = _dir.File($"run-{learningRate}-{factor}.safetensors");
        using var network = SyntheticData.Build(_provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = path, DivergenceLossFactor = factor };
        byte[]? initial = null;
        var progress = new RecordingProgress { OnBatchDone = _ => initial ??= File.ReadAllBytes(path) };
        var result = trainer.Run(progress);
        return (result, initial!, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_loss_stuck_far_above_chance_stops_as_diverged_and_keeps_the_last_good_checkpoint()
    {
        // The fixed rule: an epoch's mean loss above 3 × ln(classes). Here the loss need not be NaN:
        // on 4 classes the bound is 4.16, and a learning rate of 1e4 lands far above it.
        var (result, initial, after) = Train(1e4f, factor: 3);

        Assert.Equal(TrainingOutcome.Diverged, result.Outcome);
        Assert.Empty(result.History);
        Assert.Equal(initial, after); // the diverged epoch was never written over the initial checkpoint
        Assert.True(result.Message!.Contains("above 4.159 (3 × ln 4, the loss of guessing); the run has diverged", StringComparison.Ordinal)
                    || result.Message.Contains("the loss became", StringComparison.Ordinal), result.Message);
        Assert.Contains("The last good checkpoint (the initial weights) is kept", result.Message);
    }

    [Fact]
    public void An_ordinary_run_is_not_divergent() =>
        Assert.Equal(TrainingOutcome.Completed, Train(0.05f, factor: 3).Result.Outcome);
}
