using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>
/// Ctrl+C then --resume must give exactly the run that was never interrupted: same weights,
/// batch-norm statistics and optimizer state bit for bit, same metrics.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("resume");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private static TrainingSettings Settings(string optimizer, bool augment = false) => new()
    {
        Augmentation = augment ? new CnnNative.Data.Augmentation { Shift = 1, Flip = true, Erase = 3 } : CnnNative.Data.Augmentation.None,
        Epochs = 3,
        BatchSize = 32,
        Optimizer = TrainingSettings.OptimizerFor(optimizer, optimizer == "adam" ? 0.005f : null, weightDecay: 1e-4f),
        Seed = 11,
    };

    [Theory]
    [InlineData("adam", 1, 1)]   // after the first step
    [InlineData("adam", 2, 5)]   // in the middle of an epoch
    [InlineData("adam", 2, 13)]  // after an epoch's last (partial) batch: the epoch is finished first
    [InlineData("momentum", 3, 12)]
    [InlineData("adam", 2, 6, true)] // augmented batches are drawn again, the same, after the resume
    public void Interrupting_and_resuming_reproduces_the_uninterrupted_run_bit_for_bit(string optimizer, int epoch, int batch, bool augment = false)
    {
        var settings = Settings(optimizer, augment);
        var train = SyntheticData.Train();
        var test = SyntheticData.Test();

        // The run that was never interrupted.
        Dictionary<string, float[]> expected;
        IReadOnlyList<EpochMetrics> expectedHistory;
        using (var network = SyntheticData.Build(_provider, settings.Seed))
        using (var trainer = new Trainer(network, train, test, settings))
        {
            var result = trainer.Run();
            Assert.Equal(TrainingOutcome.Completed, result.Outcome);
            expected = Snapshot(network, trainer.Optimizer);
            expectedHistory = result.History;
        }

        // The same run, stopped as by Ctrl+C after (epoch, batch).
        string path = _dir.File($"{optimizer}-{epoch}-{batch}-{augment}.safetensors");
        using (var network = SyntheticData.Build(_provider, settings.Seed))
        using (var trainer = new Trainer(network, train, test, settings) { CheckpointPath = path })
        {
            var progress = new RecordingProgress { CancelAt = (epoch, batch) };
            var stopped = trainer.Run(progress, progress.Cancellation.Token);
            Assert.Equal(TrainingOutcome.Interrupted, stopped.Outcome);
            Assert.EndsWith($"; {path} resumes it exactly.", stopped.Message);
            var expectedState = batch == 13 ? (epoch, 0) : (epoch - 1, batch);
            Assert.Equal(expectedState, (stopped.State.Epoch, stopped.State.Batch));
        }

        // Resumed in a new process: a new network, whose initial weights the checkpoint replaces.
        var checkpoint = ModelCheckpoint.Open(path);
        var saved = TrainingCheckpoint.Read(checkpoint);
        using (var network = Network.Build(checkpoint.Metadata.Model, _provider, checkpoint.Metadata.Seed))
        using (var trainer = new Trainer(network, train, test, saved.Settings) { CheckpointPath = path })
        {
            trainer.Resume(checkpoint);
            var progress = new RecordingProgress();
            var result = trainer.Run(progress);
            Assert.Equal(TrainingOutcome.Completed, result.Outcome);
            Assert.Equal(saved.State.Epoch + 1, progress.Start!.FirstEpoch);

            var actual = Snapshot(network, trainer.Optimizer);
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (name, values) in expected)
                AssertBitwiseEqual(name, values, actual[name]);

            Assert.Equal(expectedHistory.Count, result.History.Count);
            for (int e = 0; e < expectedHistory.Count; e++)
            {
                Assert.Equal(expectedHistory[e].Loss, result.History[e].Loss);
                Assert.Equal(expectedHistory[e].TrainAccuracy, result.History[e].TrainAccuracy);
                Assert.Equal(expectedHistory[e].TestAccuracy, result.History[e].TestAccuracy);
            }
            Assert.Equal(3, TrainingCheckpoint.Read(ModelCheckpoint.Open(path)).History.Count);
        }
    }

    [Fact]
    public void A_checkpoint_records_where_the_run_stopped_in_plain_metadata_keys()
    {
        var settings = Settings("adam");
        string path = _dir.File("keys.safetensors");
        using var network = SyntheticData.Build(_provider, settings.Seed);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { CheckpointPath = path };
        var progress = new RecordingProgress { CancelAt = (2, 4) };
        trainer.Run(progress, progress.Cancellation.Token);

        var metadata = SafeTensorsFile.ReadHeader(path).Metadata;
        Assert.Equal("1", metadata["epoch"]);
        Assert.Equal("4", metadata["batch"]);
        Assert.Equal("11", metadata["seed"]);
        Assert.Equal("17", metadata["optimizer_steps"]);
        Assert.Equal("managed", metadata["provider"]);
        Assert.Contains("\"tiny-conv\"", metadata["model"]);
        Assert.Contains("\"adam\"", metadata["hyperparameters"]);
        var header = SafeTensorsFile.ReadHeader(path);
        Assert.NotNull(header.Find("conv1.W"));
        Assert.NotNull(header.Find("batchnorm1.running_var"));
        Assert.NotNull(header.Find("optimizer.conv1.W.m"));
        Assert.NotNull(header.Find("optimizer.affine2.b.v"));
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused()
    {
        var settings = Settings("adam");
        string path = _dir.File("other.safetensors");
        using (var network = SyntheticData.Build(_provider, settings.Seed))
        using (var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings with { Epochs = 1 }) { CheckpointPath = path })
            trainer.Run();

        var checkpoint = ModelCheckpoint.Open(path);
        using var other = SyntheticData.Build(_provider, settings.Seed);
        using var sgd = new Trainer(other, SyntheticData.Train(), SyntheticData.Test(), settings with { Optimizer = TrainingSettings.OptimizerFor("sgd") });
        var e = Assert.Throws<TrainingSetupException>(() => sgd.Resume(checkpoint));
        Assert.Contains("only Epochs may change", e.Message);
    }

    internal static Dictionary<string, float[]> Snapshot(Network network, Optimizer optimizer)
    {
        var result = new Dictionary<string, float[]>();
        foreach (var t in network.NamedTensors()) result[t.Name] = Download(t.Tensor);
        foreach (var t in optimizer.State) result["optimizer." + t.Name] = Download(t.Tensor);
        return result;
    }

    internal static float[] Download(Tensor tensor)
    {
        var data = new float[tensor.Length];
        tensor.Provider.Download(tensor, data);
        return data;
    }

    internal static void AssertBitwiseEqual(string name, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{name}[{i}]: {expected[i]:R} uninterrupted, {actual[i]:R} resumed");
    }
}
