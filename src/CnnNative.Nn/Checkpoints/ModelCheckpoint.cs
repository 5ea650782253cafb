using CnnNative.Core;

namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// A trained model on disk: <c>model.safetensors</c> holding every parameter and batch-norm
/// running statistic under its network name ("conv1.W", "batchnorm1.running_mean"), the
/// optimizer state under "optimizer." + its name ("optimizer.conv1.W.m"), and
/// <see cref="CheckpointMetadata"/> in the header. <see cref="Save"/> writes atomically (an
/// existing checkpoint survives any failure); <see cref="Open"/> reads and checks only the
/// header; <see cref="Restore"/> checks every name and shape against the model before any data
/// is read or any tensor is written.
/// </summary>
public sealed class ModelCheckpoint
{
    /// <summary>The checkpoint's name in a run folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>Prefix of optimizer state tensors.</summary>
    public const string OptimizerPrefix = "optimizer.";

    private ModelCheckpoint(SafeTensorsHeader header, CheckpointMetadata metadata)
    {
        Header = header;
        Metadata = metadata;
    }

    /// <summary>The file's full path.</summary>
    public string Path => Header.Path;

    /// <summary>The validated safetensors header.</summary>
    internal SafeTensorsHeader Header { get; }

    /// <summary>What the header says about the model, run and training state (read and checked by <see cref="Open"/>).</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>True when the file carries optimizer state (a training checkpoint that can be resumed).</summary>
    public bool HasOptimizerState
    {
        get
        {
            foreach (var entry in Header.Tensors)
                if (entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) return true;
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s tensors, <paramref name="optimizer"/>'s state (when
    /// given) and <paramref name="metadata"/> to <paramref name="path"/>, atomically.
    /// </summary>
    public static void Save(string path, Network network, Optimizer? optimizer, CheckpointMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        var tensors = new List<NamedTensorData>();
        foreach (var named in network.NamedTensors()) tensors.Add(Download(named.Name, named.Tensor));
        if (optimizer is not null)
            foreach (var state in optimizer.State) tensors.Add(Download(OptimizerPrefix + state.Name, state.Tensor));
        SafeTensorsFile.Write(path, tensors, metadata.ToDictionary());
    }

    /// <summary>Reads and validates the header and metadata of <paramref name="path"/> (no tensor data).</summary>
    public static ModelCheckpoint Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var header = SafeTensorsFile.ReadHeader(System.IO.Path.GetFullPath(path));
        var metadata = CheckpointMetadata.Parse(header.Path, header.Metadata);
        return new ModelCheckpoint(header, metadata);
    }

    /// <summary>
    /// Builds the checkpoint's model on <paramref name="provider"/> and loads its weights
    /// (for evaluation and prediction; the optimizer state is not read). Layer types registered
    /// in code are found in <paramref name="registry"/> (default <see cref="LayerRegistry.Default"/>).
    /// </summary>
    public Network LoadNetwork(IComputeProvider provider, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        CheckParameterCount();
        Network network;
        try
        {
            network = Network.Build(Metadata.Model, provider, Metadata.Seed, registry);
        }
        catch (InvalidModelException e)
        {
            throw new CheckpointException(Path, $"its model cannot be built ({e.Message}).", "The file is corrupt; use another checkpoint.");
        }
        try
        {
            Restore(network, optimizer: null);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the checkpoint's tensors into <paramref name="network"/> and, when given, <paramref name="optimizer"/>
    /// (its state tensors; the step counters are the trainer's, see <c>Trainer.Resume</c>). First checks that
    /// the file holds exactly the tensors the model (and optimizer) need, with the same shapes;
    /// a mismatch throws <see cref="CheckpointException"/> and leaves every tensor untouched.
    /// </summary>
    public void Restore(Network network, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        var targets = new List<NamedTensor>(network.NamedTensors());
        if (optimizer is not null)
            foreach (var state in optimizer.State) targets.Add(new NamedTensor(OptimizerPrefix + state.Name, state.Tensor));
        Validate(network, optimizer, targets);

        var content = SafeTensorsFile.Read(Header);
        foreach (var target in targets) CheckFinite(content.Find(target.Name)!);
        foreach (var target in targets)
        {
            var data = content.Find(target.Name)!;
            target.Tensor.Provider.Upload(data.Data, target.Tensor);
        }
    }

    /// <summary>
    /// Before building the network: its parameters are all stored in the file, so a model
    /// description needing more values than the file holds is corrupt. Checked from the spec
    /// alone, so a small file claiming a huge layer cannot make us allocate gigabytes first.
    /// </summary>
    private void CheckParameterCount()
    {
        long needed;
        try
        {
            needed = Metadata.Model.Validate().TotalParameters;
        }
        catch (InvalidModelException e)
        {
            throw new CheckpointException(Path, $"its model cannot be built ({e.Message}).", "The file is corrupt; use another checkpoint.");
        }
        long stored = 0;
        foreach (var entry in Header.Tensors)
            if (!entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) stored += entry.ElementCount;
        if (stored < needed)
            throw new CheckpointException(Path,
                $"its model description needs {needed} parameters but the file stores only {stored} model values: the description and the tensors do not belong together.",
                "The file is corrupt; use another checkpoint.");
    }

    /// <summary>NaN or ±∞ in a checkpoint means the run that wrote it diverged; such weights only ever predict "NaN%".</summary>
    private void CheckFinite(NamedTensorData data)
    {
        int bad = 0;
        foreach (float v in data.Data)
            if (!float.IsFinite(v)) bad++;
        if (bad > 0)
            throw new CheckpointException(Path,
                $"tensor '{data.Name}' holds {bad} NaN or infinite {(bad == 1 ? "value" : "values")} of {data.Data.Length}: the training run that wrote it diverged.",
                "Use an earlier checkpoint, or train again with a lower learning rate.");
    }

    private void Validate(Network network, Optimizer? optimizer, List<NamedTensor> targets)
    {
        string model = network.Spec.Name ?? "this model";
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            expected.Add(target.Name);
            var entry = Header.Find(target.Name);
            if (entry is null)
            {
                if (optimizer is not null && target.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                    throw new CheckpointException(Path,
                        $"it has no {optimizer.Name} optimizer state ('{target.Name}'), so training cannot resume from it exactly.",
                        "Resume from a training checkpoint written with the same optimizer.");
                throw new CheckpointException(Path,
                    $"it has no tensor '{target.Name}', which {model} needs: it was saved from a different model.",
                    "Use a checkpoint of this model.");
            }
            if (!SameShape(entry.Shape, target.Tensor.Shape))
                throw new CheckpointException(Path,
                    $"tensor '{target.Name}' has shape {entry.ShapeText} but {model} needs [{string.Join(", ", target.Tensor.Shape.Dimensions)}]: it was saved from a different model.",
                    "Use a checkpoint of this model.");
        }
        foreach (var entry in Header.Tensors)
        {
            if (expected.Contains(entry.Name)) continue;
            bool optimizerState = entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal);
            if (optimizerState && optimizer is null) continue; // evaluation ignores the optimizer
            throw new CheckpointException(Path,
                optimizerState
                    ? $"it holds optimizer state '{entry.Name}' that the {optimizer!.Name} optimizer does not have: it was saved with another optimizer."
                    : $"it holds tensor '{entry.Name}', which {model} does not have: it was saved from a different model.",
                optimizerState ? "Resume with the checkpoint's own settings." : "Use a checkpoint of this model.");
        }
    }

    private static bool SameShape(int[] stored, TensorShape shape)
    {
        if (stored.Length != shape.Rank) return false;
        for (int i = 0; i < stored.Length; i++)
            if (stored[i] != shape[i]) return false;
        return true;
    }

    private static NamedTensorData Download(string name, Tensor tensor)
    {
        var data = new float[tensor.Length];
        tensor.Provider.Download(tensor, data);
        return new NamedTensorData(name, [.. tensor.Shape.Dimensions], data);
    }

    /// <summary>The path and the model's name.</summary>
    public override string ToString() => $"{Path} ({Metadata.Model.Name ?? "model"})";
}
