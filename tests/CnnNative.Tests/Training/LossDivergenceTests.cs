using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>A finite loss far above chance level, or one stuck at chance level, is divergence too: stopped before it is checkpointed.</summary>
public sealed class LossDivergenceTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("loss-diverge");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private (TrainingResult Result, byte[] Before, byte[] After) Train(float learningRate, double factor) =>
        Train(learningRate, DivergenceRule.Default with { LossFactor = factor });

    private (TrainingResult Result, byte[] Before, byte[] After) Train(float learningRate, DivergenceRule rule, int epochs = 3)
    {
        var settings = new TrainingSettings { Epochs = epochs, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("sgd", learningRate), Seed = 5 };
        string path = PathFor(learningRate, rule);
        using var network = SyntheticData.Build(_provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = path, Divergence = rule };
        byte[]? initial = null;
        var progress = new RecordingProgress { OnBatchDone = _ => initial ??= File.ReadAllBytes(path) };
        var result = trainer.Run(progress);
        return (result, initial!, File.ReadAllBytes(path));
    }

    private string PathFor(float learningRate, DivergenceRule rule) => _dir.File($"run-{learningRate}-{rule.GetHashCode()}.safetensors");

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

    [Fact]
    public void A_run_stuck_at_chance_level_stops_as_diverged_and_keeps_the_checkpoint_from_before_it_got_stuck()
    {
        // Epoch 1 learns; then a learning rate of 1e4 knocks the model to chance level (the
        // loss rule is off, so only the chance rule can stop it). Epoch 2 at chance is not
        // checkpointed; epoch 3 at chance makes two in a row and stops the run.
        var rule = new DivergenceRule { LossFactor = 0, ChanceEpochs = 2, ChanceMargin = 0.1 };
        var settings = new TrainingSettings { Epochs = 5, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("sgd", 0.05f), Seed = 5 };
        string path = _dir.File("stuck.safetensors");
        byte[]? afterEpoch1 = null;
        using var network = SyntheticData.Build(_provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = path, Divergence = rule };
        var progress = new RecordingProgress
        {
            OnEpochDone = m =>
            {
                if (m.Epoch == 1) trainer.Optimizer.LearningRate = 1e4f;
            },
            OnBatchDone = b => afterEpoch1 ??= b.Epoch == 2 ? File.ReadAllBytes(path) : null,
        };

        var result = trainer.Run(progress);

        Assert.Equal(TrainingOutcome.Diverged, result.Outcome);
        Assert.Equal(2, result.History.Count); // epoch 2 finished at chance; epoch 3 broke the rule
        Assert.True(result.History[0].TrainAccuracy > 0.35, $"epoch 1 should learn: {result.History[0]}");
        Assert.Contains("epochs 2–3 stayed at chance level (training accuracy", result.Message);
        Assert.Contains("against 1/4 = 0.25, loss", result.Message);
        Assert.Contains("The last good checkpoint (after epoch 1) is kept", result.Message);
        Assert.Equal(afterEpoch1, File.ReadAllBytes(path));
        Assert.Equal(1, TrainingCheckpoint.Read(ModelCheckpoint.Open(path)).State.Epoch);
    }

    [Fact]
    public void A_run_that_ends_at_chance_level_before_the_rule_fires_still_writes_its_last_epoch()
    {
        // 1e-9 leaves the initial weights as they are; a wide margin counts that as chance level.
        // Three epochs at chance and a rule of four: the run completes, and its checkpoint is the
        // last epoch's even though the chance epochs were held back.
        var rule = new DivergenceRule { ChanceEpochs = 4, ChanceMargin = 0.8 };
        var (result, _, _) = Train(1e-9f, rule, epochs: 3);

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(3, TrainingCheckpoint.Read(ModelCheckpoint.Open(PathFor(1e-9f, rule))).State.Epoch);
    }

    [Fact]
    public void The_chance_rule_fires_after_its_epochs_and_not_when_off()
    {
        var (stuck, _, _) = Train(1e-9f, new DivergenceRule { ChanceEpochs = 2, ChanceMargin = 0.8 }, epochs: 4);
        Assert.Equal(TrainingOutcome.Diverged, stuck.Outcome);
        Assert.Contains("(the initial weights)", stuck.Message); // epoch 1 was at chance too: never written

        Assert.Equal(TrainingOutcome.Completed, Train(1e-9f, new DivergenceRule { ChanceEpochs = 0, ChanceMargin = 0.8 }, epochs: 4).Result.Outcome);
    }

    [Theory]
    [InlineData(0.5, 3, 0.02, "LossFactor is 0.5; give 0 (rule off) or a factor above 1")]
    [InlineData(3, -1, 0.02, "ChanceEpochs is -1; give 0 (rule off) up to 10000 epochs")]
    [InlineData(3, 3, 1.0, "ChanceMargin is 1; give a fraction from 0 up to (not including) 1")]
    [InlineData(double.NaN, 3, 0.02, "LossFactor is NaN")]
    public void A_rule_out_of_range_is_refused(double factor, int epochs, double margin, string expected)
    {
        using var network = SyntheticData.Build(_provider, 1);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), new TrainingSettings());
        var e = Assert.Throws<ArgumentException>(() => trainer.Divergence = new DivergenceRule { LossFactor = factor, ChanceEpochs = epochs, ChanceMargin = margin });
        Assert.StartsWith(expected, e.Message);
    }
}
