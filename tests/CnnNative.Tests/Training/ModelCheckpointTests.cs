using System.Buffers.Binary;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>Model-level checkpoints: what they hold, and one clear sentence for every file that does not fit.</summary>
public sealed class ModelCheckpointTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("model-checkpoint");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private static readonly TrainingSettings Settings = new()
    {
        Epochs = 2, BatchSize = 40, Optimizer = TrainingSettings.OptimizerFor("adam", 0.01f), Seed = 3,
    };

    /// <summary>Trains one epoch into a run folder and returns the checkpoint path.</summary>
    private string TrainedCheckpoint(string name = "run", ModelSpec? spec = null)
    {
        string path = _dir.File(name + ".safetensors");
        using var network = SyntheticData.Build(_provider, Settings.Seed, spec);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings with { Epochs = 1 }) { CheckpointPath = path };
        Assert.Equal(TrainingOutcome.Completed, trainer.Run().Outcome);
        return path;
    }

    [Fact]
    public void Save_then_load_gives_the_same_model_and_metadata()
    {
        using var network = SyntheticData.Build(_provider, seed: 9);
        using var optimizer = Optimizer.Create(Settings.Optimizer, network.Parameters);
        optimizer.StepCount = 123;
        network.TrainingStep = 45;
        // Make the running statistics and optimizer state non-trivial.
        foreach (var b in network.Buffers) _provider.Fill(b.Tensor, 0.5f);
        foreach (var s in optimizer.State) _provider.Fill(s.Tensor, 0.25f);
        var state = new TrainingState(1, 3, 123, 45, 17.125f, 88, 120, 1.5);
        var history = new[] { new EpochMetrics(1, 0.5, 0.8, 0.85, 1000, 2.5) };
        var metadata = new TrainingCheckpoint(Settings, state, history).ToMetadata(network, SyntheticData.ClassNames);
        string path = _dir.File("model.safetensors");

        ModelCheckpoint.Save(path, network, optimizer, metadata);
        var checkpoint = ModelCheckpoint.Open(path);

        Assert.True(checkpoint.HasOptimizerState);
        Assert.Equal(network.Spec.ToJson(), checkpoint.Metadata.Model.ToJson());
        Assert.Equal(SyntheticData.ClassNames, checkpoint.Metadata.ClassNames);
        Assert.Equal(9UL, checkpoint.Metadata.Seed);
        Assert.Equal("managed", checkpoint.Metadata.Provider);
        var training = TrainingCheckpoint.Read(checkpoint);
        Assert.Equal(Settings, training.Settings);
        Assert.Equal(state, training.State);
        Assert.Equal(history, training.History);

        using var loaded = checkpoint.LoadNetwork(_provider);
        foreach (var t in network.NamedTensors())
            ResumeTests.AssertBitwiseEqual(t.Name, ResumeTests.Download(t.Tensor), ResumeTests.Download(loaded.GetTensor(t.Name)));

        using var other = SyntheticData.Build(_provider, seed: 10);
        using var otherOptimizer = Optimizer.Create(Settings.Optimizer, other.Parameters);
        checkpoint.Restore(other, otherOptimizer);
        foreach (var s in otherOptimizer.State) Assert.All(ResumeTests.Download(s.Tensor), v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void A_truncated_checkpoint_gets_one_sentence()
    {
        string path = TrainedCheckpoint();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path));
        Assert.Contains("truncated", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void A_header_length_past_the_end_gets_one_sentence()
    {
        string path = TrainedCheckpoint();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path));
        Assert.Contains("points past the end", e.Message);
    }

    [Fact]
    public void A_corrupt_header_gets_one_sentence()
    {
        string path = TrainedCheckpoint();
        var bytes = File.ReadAllBytes(path);
        bytes[8 + 1] = (byte)'#';
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path));
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void A_safetensors_file_not_written_by_cnn_train_is_named_as_such()
    {
        string path = _dir.File("foreign.safetensors");
        SafeTensorsFile.Write(path, [new NamedTensorData("weight", [2], [1f, 2f])], new Dictionary<string, string> { ["format"] = "pt" });
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path));
        Assert.Contains("format is 'pt'", e.Message);

        SafeTensorsFile.Write(path, [new NamedTensorData("weight", [2], [1f, 2f])]);
        e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path));
        Assert.Contains("not written by the CnnNative trainer", e.Message);
    }

    [Fact]
    public void Malformed_metadata_names_the_key()
    {
        string path = TrainedCheckpoint();
        var header = SafeTensorsFile.ReadHeader(path);
        var content = SafeTensorsFile.Read(path);
        var metadata = new Dictionary<string, string>(header.Metadata) { ["batch"] = "minus one" };
        SafeTensorsFile.Write(path, content.Tensors, metadata);
        var e = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Read(ModelCheckpoint.Open(path)));
        Assert.Contains("'batch' metadata 'minus one' is malformed", e.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_before_any_tensor_changes()
    {
        var wider = SyntheticData.Model() with { Name = "wider" };
        wider = wider with { Layers = [LayerSpec.Conv(6, 3, 1, 1), .. wider.Layers.Skip(1)] };
        string path = TrainedCheckpoint("wider", wider);
        var checkpoint = ModelCheckpoint.Open(path);

        using var network = SyntheticData.Build(_provider, seed: 1);
        var before = Snapshot(network);
        var e = Assert.Throws<CheckpointException>(() => checkpoint.Restore(network, null));
        Assert.Contains("tensor 'conv1.W' has shape [6, 1, 3, 3] but tiny-conv needs [4, 1, 3, 3]", e.Message);
        Assert.Contains("different model", e.Message);
        AssertUnchanged(before, network);
    }

    [Fact]
    public void Missing_and_extra_tensors_are_named()
    {
        string path = TrainedCheckpoint();
        var header = SafeTensorsFile.ReadHeader(path);
        var content = SafeTensorsFile.Read(path);
        using var network = SyntheticData.Build(_provider, seed: 1);
        var before = Snapshot(network);

        var withoutBias = content.Tensors.Where(t => t.Name != "affine2.b").ToList();
        SafeTensorsFile.Write(path, withoutBias, header.Metadata);
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path).Restore(network, null));
        Assert.Contains("has no tensor 'affine2.b'", e.Message);

        var withExtra = content.Tensors.Append(new NamedTensorData("conv9.W", [1], [0f])).ToList();
        SafeTensorsFile.Write(path, withExtra, header.Metadata);
        e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path).Restore(network, null));
        Assert.Contains("holds tensor 'conv9.W'", e.Message);
        AssertUnchanged(before, network);
    }

    [Fact]
    public void Resuming_needs_the_optimizer_state_of_the_same_optimizer()
    {
        string path = TrainedCheckpoint();
        var checkpoint = ModelCheckpoint.Open(path);
        using var network = SyntheticData.Build(_provider, seed: 1);
        using var momentum = Optimizer.Create(TrainingSettings.OptimizerFor("momentum"), network.Parameters);
        var e = Assert.Throws<CheckpointException>(() => checkpoint.Restore(network, momentum));
        Assert.Contains("no momentum optimizer state", e.Message);
    }

    [Fact]
    public void A_file_that_changes_after_its_header_was_read_is_refused()
    {
        string path = TrainedCheckpoint();
        var checkpoint = ModelCheckpoint.Open(path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^4]);
        using var network = SyntheticData.Build(_provider, seed: 1);
        var before = Snapshot(network);
        var e = Assert.Throws<CheckpointException>(() => checkpoint.Restore(network, null));
        Assert.Contains("changed since its header was read", e.Message);
        AssertUnchanged(before, network);
    }

    private static Dictionary<string, float[]> Snapshot(Network network) =>
        network.NamedTensors().ToDictionary(t => t.Name, t => ResumeTests.Download(t.Tensor));

    private static void AssertUnchanged(Dictionary<string, float[]> before, Network network)
    {
        foreach (var t in network.NamedTensors())
            ResumeTests.AssertBitwiseEqual(t.Name, before[t.Name], ResumeTests.Download(t.Tensor));
    }

    [Fact]
    public void Checkpoint_errors_name_the_file()
    {
        string path = _dir.File("missing.safetensors");
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Open(path));
        Assert.StartsWith($"Checkpoint '{path}'", e.Message);
        Assert.Contains("does not exist", e.Message);
    }
}
