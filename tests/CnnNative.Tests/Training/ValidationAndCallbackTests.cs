using System.Text.Json.Nodes;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>The validation split, early stopping, keep-best and a user's own callback.</summary>
public sealed class ValidationAndCallbackTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("callbacks");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private static TrainingSettings Settings(int epochs = 3, double split = 0.2) => new()
    {
        Epochs = epochs, BatchSize = 32, Seed = 5, ValidationSplit = split,
        Optimizer = TrainingSettings.OptimizerFor("adam", 0.01f),
    };

    [Fact]
    public void The_hold_out_is_seeded_disjoint_and_complete()
    {
        var data = SyntheticData.Train();
        var (train, validation) = HoldOut.Split(data, 0.2, seed: 5);
        var (train2, validation2) = HoldOut.Split(data, 0.2, seed: 5);
        var (_, other) = HoldOut.Split(data, 0.2, seed: 6);

        Assert.Equal(80, validation.Count);
        Assert.Equal(320, train.Count);
        Assert.Equal("validation", validation.Name);
        Assert.Equal(validation.Images, validation2.Images);
        Assert.Equal(train.Labels, train2.Labels);
        Assert.NotEqual(validation.Images, other.Images);
        // Every sample lands in exactly one part: the multiset of images is preserved.
        var all = Rows(data).Order().ToList();
        Assert.Equal(all, Rows(train).Concat(Rows(validation)).Order().ToList());
    }

    private static IEnumerable<string> Rows(CnnNative.Data.Dataset d) =>
        Enumerable.Range(0, d.Count).Select(i => d.Label(i) + ":" + string.Join(',', d.Image(i).ToArray()));

    [Fact]
    public void With_a_validation_split_every_epoch_reports_validation_loss_and_accuracy()
    {
        using var network = SyntheticData.Build(_provider, seed: 5);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 2));
        var progress = new RecordingProgress();
        var result = trainer.Run(progress);

        Assert.Equal(320, trainer.Train.Count);
        Assert.Equal(80, progress.Start!.ValidationSamples);
        Assert.Equal(10, trainer.BatchesPerEpoch); // 320 / 32
        foreach (var m in result.History)
        {
            Assert.True(m.HasValidation);
            Assert.InRange(m.ValidationLoss, 0, 10);
            Assert.Equal(Math.Round(m.ValidationAccuracy * 80), m.ValidationAccuracy * 80, 6);
        }
        Assert.True(result.History[1].ValidationLoss < result.History[0].ValidationLoss);
        using var evaluator = new Evaluator(network, 32); // the trainer's batch size: the same float sums
        var (loss, accuracy) = evaluator.LossAndAccuracy(trainer.Validation!);
        Assert.Equal(result.History[1].ValidationLoss, loss, 6);
        Assert.Equal(result.History[1].ValidationAccuracy, accuracy, 12);
        // The test set is scored the same way after every epoch: its loss beside its accuracy.
        var (testLoss, testAccuracy) = evaluator.LossAndAccuracy(trainer.Test!);
        Assert.Equal(result.History[1].TestLoss, testLoss, 6);
        Assert.Equal(result.History[1].TestAccuracy, testAccuracy, 12);
        Assert.True(result.History[1].TestLoss < result.History[0].TestLoss);
    }

    [Fact]
    public void Early_stopping_ends_the_run_after_its_patience_and_says_why()
    {
        using var network = SyntheticData.Build(_provider, seed: 5);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 6));
        // An improvement must beat the best by 100: only the first epoch counts, then patience runs out.
        var stopping = new EarlyStopping(patience: 2, minDelta: 100);
        trainer.Callbacks.Add(stopping);
        var result = trainer.Run();

        Assert.Equal(TrainingOutcome.Stopped, result.Outcome);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(1, stopping.BestEpoch);
        Assert.StartsWith("Early stopping after epoch 3: the validation loss has not improved for 2 epochs; the best was ", result.Message);
    }

    [Fact]
    public void Watching_the_validation_loss_without_a_split_is_refused_with_the_setting_to_change()
    {
        using var network = SyntheticData.Build(_provider, seed: 5);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(split: 0));
        trainer.Callbacks.Add(new EarlyStopping(3));
        var e = Assert.Throws<TrainingSetupException>(() => trainer.Run());
        Assert.Equal("ValidationSplit", e.Setting);
        Assert.Contains("early stopping watches the validation loss", e.Message);
    }

    [Fact]
    public void Keep_best_writes_the_best_epoch_beside_the_last_checkpoint()
    {
        string last = _dir.File("model.safetensors");
        string bestPath = _dir.File("best.safetensors");
        using var network = SyntheticData.Build(_provider, seed: 5);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 3)) { CheckpointPath = last };
        var best = new KeepBestCheckpoint(bestPath, TrainingMetric.ValidationAccuracy);
        trainer.Callbacks.Add(best);
        Dictionary<string, float[]>? weightsAtBest = null;
        var result = trainer.Run(new OnEpoch(m => { if (best.BestEpoch == m.Epoch) weightsAtBest = ResumeTests.Snapshot(network, trainer.Optimizer); }));

        int bestEpoch = 1 + Enumerable.Range(0, 3).MaxBy(e => (result.History[e].ValidationAccuracy, -e));
        Assert.Equal(bestEpoch, best.BestEpoch);
        var saved = ModelCheckpoint.Open(bestPath);
        var training = TrainingCheckpoint.Read(saved);
        Assert.Equal(bestEpoch, training.State.Epoch);
        Assert.Equal(result.History.Take(bestEpoch), training.History);
        using var loaded = saved.LoadNetwork(_provider);
        foreach (var t in loaded.NamedTensors())
            ResumeTests.AssertBitwiseEqual(t.Name, weightsAtBest![t.Name], ResumeTests.Download(t.Tensor));
        Assert.Equal(3, TrainingCheckpoint.Read(ModelCheckpoint.Open(last)).State.Epoch);
    }

    [Fact]
    public void Resume_is_bit_for_bit_with_a_schedule_a_validation_split_and_callbacks()
    {
        var settings = Settings(epochs: 4) with { Schedule = LearningRateSchedule.For("one-cycle", warmupEpochs: 1) };
        var train = SyntheticData.Train();
        var test = SyntheticData.Test();

        Dictionary<string, float[]> expected;
        TrainingResult uninterrupted;
        JsonNode expectedState;
        using (var network = SyntheticData.Build(_provider, settings.Seed))
        using (var trainer = new Trainer(network, train, test, settings))
        {
            var counter = new EpochCounter();
            trainer.Callbacks.Add(new EarlyStopping(2, TrainingMetric.ValidationAccuracy));
            trainer.Callbacks.Add(counter);
            uninterrupted = trainer.Run();
            expected = ResumeTests.Snapshot(network, trainer.Optimizer);
            expectedState = counter.SaveState();
        }

        string path = _dir.File("stopped.safetensors");
        using (var network = SyntheticData.Build(_provider, settings.Seed))
        using (var trainer = new Trainer(network, train, test, settings) { CheckpointPath = path })
        {
            trainer.Callbacks.Add(new EarlyStopping(2, TrainingMetric.ValidationAccuracy));
            trainer.Callbacks.Add(new EpochCounter());
            var progress = new RecordingProgress { CancelAt = (2, 4) };
            Assert.Equal(TrainingOutcome.Interrupted, trainer.Run(progress, progress.Cancellation.Token).Outcome);
        }

        var checkpoint = ModelCheckpoint.Open(path);
        Assert.Contains("epoch_counter", TrainingCheckpoint.Read(checkpoint).CallbackStates.Keys);
        using (var network = SyntheticData.Build(_provider, settings.Seed))
        using (var trainer = new Trainer(network, train, test, settings))
        {
            var counter = new EpochCounter();
            trainer.Callbacks.Add(new EarlyStopping(2, TrainingMetric.ValidationAccuracy));
            trainer.Callbacks.Add(counter);
            trainer.Resume(checkpoint);
            var resumed = trainer.Run();

            Assert.Equal(uninterrupted.Outcome, resumed.Outcome);
            Assert.Equal(uninterrupted.Message, resumed.Message);
            Assert.Equal(expectedState.ToJsonString(), counter.SaveState().ToJsonString());
            Assert.Equal(uninterrupted.History.Count, resumed.History.Count);
            for (int e = 0; e < resumed.History.Count; e++)
            {
                var (a, b) = (uninterrupted.History[e], resumed.History[e]);
                Assert.Equal((a.Loss, a.TrainAccuracy, a.ValidationLoss, a.ValidationAccuracy, a.TestAccuracy, a.LearningRate),
                    (b.Loss, b.TrainAccuracy, b.ValidationLoss, b.ValidationAccuracy, b.TestAccuracy, b.LearningRate));
            }
            var actual = ResumeTests.Snapshot(network, trainer.Optimizer);
            foreach (var (name, values) in expected)
                ResumeTests.AssertBitwiseEqual(name, values, actual[name]);
        }
    }

    /// <summary>A user's callback with state: counts the epochs it saw and sums their losses.</summary>
    private sealed class EpochCounter : TrainingCallback
    {
        private int _epochs;
        private double _lossSum;

        public override void EpochDone(EpochMetrics metrics)
        {
            _epochs++;
            _lossSum += metrics.Loss;
        }

        public override string StateKey => "epoch_counter";

        public override JsonNode SaveState() => new JsonObject { ["epochs"] = _epochs, ["loss_sum"] = _lossSum };

        public override void RestoreState(JsonNode state)
        {
            _epochs = state["epochs"]!.GetValue<int>();
            _lossSum = state["loss_sum"]!.GetValue<double>();
        }
    }

    private sealed class OnEpoch(Action<EpochMetrics> action) : TrainingCallback
    {
        public override void EpochDone(EpochMetrics metrics) => action(metrics);
    }
}
