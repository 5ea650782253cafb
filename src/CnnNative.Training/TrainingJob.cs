using System.Globalization;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Distributed;
using CnnNative.Nn;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// One training run as <c>cnn train</c> performs it. <see cref="Prepare"/> checks every input
/// first — checkpoint header and metadata, data files, model, options, the checkpoint's tensors
/// against the model, the output folder — and only then creates the run folder and writes
/// run.json; so bad input fails with one sentence and no existing file is touched.
/// <see cref="Run"/> trains and records how the run ended in run.json.
/// </summary>
public sealed class TrainingJob : IDisposable
{
    private RunInfo _info;

    private readonly GradientAllReduce? _allReduce;
    private readonly RunFolderLock? _folderLock;

    private TrainingJob(DataSplits data, Trainer trainer, RunFolder? output, RunInfo info, ModelCheckpoint? resumedFrom,
        GradientAllReduce? allReduce, CheckpointsKept keep, KeepBestCheckpoint? best, TargetAccuracy? target, RunFolderLock? folderLock)
    {
        Target = target;
        _allReduce = allReduce;
        _folderLock = folderLock;
        Kept = keep;
        Best = best;
        Data = data;
        Trainer = trainer;
        Output = output;
        _info = info;
        ResumedFrom = resumedFrom;
    }

    /// <summary>The training and test data.</summary>
    public DataSplits Data { get; }

    /// <summary>The library trainer that runs the epochs; it keeps the checkpoint in <see cref="Output"/>.</summary>
    public Trainer Trainer { get; }

    /// <summary>The run folder being written; null on the ranks other than 0 of a data-parallel run, which write nothing.</summary>
    public RunFolder? Output { get; }

    /// <summary>The all-reduce of a data-parallel run (its step count and communication time), or null for one process.</summary>
    public GradientAllReduce? AllReduce => _allReduce;

    /// <summary>run.json as last written.</summary>
    public RunInfo Info => _info;

    /// <summary>The checkpoint being continued, or null.</summary>
    public ModelCheckpoint? ResumedFrom { get; }

    /// <summary>Which checkpoints the folder keeps.</summary>
    public CheckpointsKept Kept { get; }

    /// <summary>The callback keeping best.safetensors (with the best epoch so far), or null with <see cref="CheckpointsKept.Last"/>.</summary>
    public KeepBestCheckpoint? Best { get; }

    /// <summary>The callback timing the run to its target test accuracy (<see cref="TrainingRequest.TargetAccuracy"/>), or null without one.</summary>
    public TargetAccuracy? Target { get; }

    /// <summary>Validates <paramref name="request"/> (filled in from its preset), builds the model on <paramref name="provider"/>, creates the run folder.</summary>
    public static TrainingJob Prepare(TrainingRequest request, IComputeProvider provider, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        request = request.WithPreset();
        var start = now ?? DateTimeOffset.Now;

        var checkpoint = request.Resume is null ? null : ModelCheckpoint.Open(request.Resume);
        var resumed = checkpoint is null ? null : TrainingCheckpoint.Read(checkpoint);

        var data = DatasetLoader.Load(request.DataFolder, checkpoint?.Metadata.ClassNames ?? request.ClassNames,
            checkpoint is null ? request.Images : CnnNative.Data.ImageFolders.ImageFolderInput.Of(checkpoint.Metadata.Model.Input!, request.Images),
            seed: resumed?.Settings.Seed ?? request.Seed ?? TrainingSettings.DefaultSeed);
        data = Preprocess(data, request.Preprocess, checkpoint?.Metadata.Preprocessing);
        var settings = resumed is null ? FreshSettings(request, data.Train) : ResumedSettings(request, resumed, data.Train);
        InFlags(settings.Validate);
        var (keep, patience) = CallbackChoices(request, resumed);
        double? target = request.TargetAccuracy ?? (resumed is null ? null : TargetAccuracy.Saved(resumed));
        if (target is { } t && !(t > 0 && t <= 1))
            throw new TrainingSetupException(string.Create(CultureInfo.InvariantCulture,
                $"--target-accuracy must be a fraction in (0, 1] such as 0.92, got {t}."));
        var spec = ChooseModel(request, checkpoint, data);

        string outputPath = request.Output
                            ?? (checkpoint is not null ? Path.GetDirectoryName(checkpoint.Path)! : RunFolder.DefaultPath(spec.Name ?? "model", start));
        bool sameFolder = checkpoint is not null
                          && string.Equals(Path.GetFullPath(outputPath), Path.GetDirectoryName(checkpoint.Path), StringComparison.Ordinal);
        var world = request.World ?? SingleProcessCommunicator.Instance;
        if (world.IsRoot) RunFolder.Check(outputPath, allowExistingRun: sameFolder);

        var sample = new TensorShape(data.Train.Channels, data.Train.Rows, data.Train.Columns);
        // Before the weights are allocated: a model within every size limit can still need far more memory at this batch size.
        MemoryEstimate.Check(spec.Validate(sample, data.Train.ClassCount), settings.BatchSize, request.MemoryLimit);
        var network = Network.Build(spec, sample, data.Train.ClassCount, provider, settings.Seed);
        Trainer? trainer = null;
        RunFolderLock? folderLock = null;
        try
        {
            trainer = InFlags(() => new Trainer(network, data.Train, data.Test, settings));
            trainer.Divergence = request.Divergence ?? DivergenceRule.Default;
            trainer.MemoryLimit = request.MemoryLimit;
            if (checkpoint is not null) InFlags(() => trainer.Resume(checkpoint));
            var allReduce = world.Size > 1 ? ShareBatches(trainer, world) : null;
            var info = RunInfo.Create(network.Spec, network.Summary.TotalParameters, trainer.Settings, provider.Info, data,
                checkpoint?.Path, start) with { WorldSize = world.Size, Patience = patience, Keep = keep.ToString().ToLowerInvariant(), Divergence = trainer.Divergence, TargetAccuracy = target };
            // Exclusive from here on (rank 0 writes the folder): a second train or --resume on it
            // is refused, and what a killed run left (temporary files, a "running" run.json) is cleaned up.
            folderLock = world.IsRoot ? RunFolderLock.CreateAndAcquire(outputPath) : null;
            var output = world.IsRoot ? RunFolder.Create(outputPath, allowExistingRun: sameFolder, info) : null;
            trainer.CheckpointPath = output?.CheckpointPath;
            var (best, targetCallback) = AddCallbacks(trainer, output, keep, patience, target);
            return new TrainingJob(data, trainer, output, info, checkpoint, allReduce, keep, best, targetCallback, folderLock);
        }
        catch
        {
            folderLock?.Abandon();
            trainer?.Dispose();
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains (see <see cref="Trainer.Run"/>), rewriting metrics.csv after every epoch before
    /// <paramref name="progress"/> hears of it, and rewrites run.json with the outcome. An
    /// interrupted run's message says how to continue it with <c>--resume</c>.
    /// </summary>
    public TrainingResult Run(TrainingCallback? progress = null, CancellationToken cancel = default)
    {
        if (_allReduce is not null)
        {
            // Ranks must stop after the same step: each rank's request travels with the
            // gradients, and the trainer watches the agreed token.
            _allReduce.StopRequest = cancel;
            cancel = _allReduce.StopAgreed;
        }
        var result = Trainer.Run(progress, cancel);
        if (Output is null) return result; // a rank other than 0 writes nothing
        if (result.Outcome == TrainingOutcome.Interrupted)
            result = result with { Message = $"Stopped {result.State.Where(Trainer.BatchesPerEpoch)}; continue with --resume {Output.CheckpointPath}." };
        bool finished = result.Outcome is TrainingOutcome.Completed or TrainingOutcome.Stopped;
        // --keep best: the folder's model becomes the best epoch's (an atomic rename).
        if (finished && Kept == CheckpointsKept.Best && File.Exists(Output.BestCheckpointPath))
            File.Move(Output.BestCheckpointPath, Output.CheckpointPath, overwrite: true);
        _info = _info.Finished(result, DateTimeOffset.Now) with
        {
            BestEpoch = Best is { BestEpoch: > 0 } b ? b.BestEpoch : null,
            TargetReached = Target is { Reached: true } t ? new TimeToTarget(t.ReachedEpoch, t.ReachedAccuracy, t.Seconds, t.CpuSeconds) : null,
        };
        Output.WriteRunInfo(_info);
        return result;
    }

    /// <summary>Gives this rank its part of every batch and averages the gradients over <paramref name="world"/>.</summary>
    private static GradientAllReduce ShareBatches(Trainer trainer, ICommunicator world)
    {
        try
        {
            trainer.Shard = new BatchShard(world.Rank, world.Size);
        }
        catch (ArgumentException e)
        {
            throw new TrainingSetupException($"--batch-size {trainer.Settings.BatchSize} cannot be shared by {world.Size} processes: {e.Message}");
        }
        var allReduce = new GradientAllReduce(world, trainer.Network);
        trainer.GradientReducer = allReduce;
        return allReduce;
    }

    /// <summary>The command-line flag of each <see cref="TrainingSettings"/> property the library may name in an error.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [nameof(TrainingSettings.Epochs)] = "--epochs",
        [nameof(TrainingSettings.BatchSize)] = "--batch-size",
        [nameof(TrainingSettings.Seed)] = "--seed",
        [nameof(TrainingSettings.Schedule)] = "--schedule",
        [nameof(LearningRateSchedule.WarmupEpochs)] = "--warmup",
        [nameof(TrainingSettings.ValidationSplit)] = "--validation-split",
        [nameof(TrainingSettings.Augmentation)] = "--augment",
    };

    /// <summary>--keep and --patience, or on resume the checkpoint's when not given.</summary>
    private static (CheckpointsKept Keep, int? Patience) CallbackChoices(TrainingRequest request, TrainingCheckpoint? resumed)
    {
        var (savedKeep, savedPatience) = resumed is null ? (null, null) : RunFolderRecorder.Saved(resumed);
        CheckpointsKept keep = savedKeep ?? CheckpointsKept.Last;
        if (request.Keep is { } asked && !Enum.TryParse(asked.Trim(), ignoreCase: true, out keep) || !Enum.IsDefined(keep))
            throw new TrainingSetupException($"--keep '{request.Keep}' is unknown; choose last, best or both.");
        int? patience = request.Patience ?? savedPatience;
        if (patience is < 1)
            throw new TrainingSetupException($"--patience must be at least 1 epoch, got {patience}.");
        return (keep, patience);
    }

    /// <summary>
    /// The job's callbacks, in order: keep-best, early stopping, the target accuracy, then the run
    /// folder's recorder. The first two watch the validation loss when there is a validation split,
    /// else the training loss (never the test set); the target, a time-to-accuracy measurement, the test accuracy.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="output"/> (a rank other than 0 of a data-parallel run) only early
    /// stopping and the target run: every rank sees the same metrics, so all stop after the same epoch.
    /// </remarks>
    private static (KeepBestCheckpoint? Best, TargetAccuracy? Target) AddCallbacks(Trainer trainer, RunFolder? output, CheckpointsKept keep, int? patience, double? target)
    {
        var monitor = trainer.Validation is null ? TrainingMetric.Loss : TrainingMetric.ValidationLoss;
        KeepBestCheckpoint? best = null;
        if (keep != CheckpointsKept.Last && output is not null)
        {
            best = new KeepBestCheckpoint(output.BestCheckpointPath, monitor);
            trainer.Callbacks.Add(best);
        }
        if (patience is { } epochs) trainer.Callbacks.Add(new EarlyStopping(epochs, monitor));
        var targetCallback = target is { } accuracy ? new TargetAccuracy(accuracy) : null;
        if (targetCallback is not null) trainer.Callbacks.Add(targetCallback);
        if (output is not null) trainer.Callbacks.Add(new RunFolderRecorder(output, keep, patience));
        return (best, targetCallback);
    }

    /// <summary>Runs a library call, saying a setting's problem in terms of its flag ("--batch-size must be …").</summary>
    private static T InFlags<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (TrainingSetupException e) when (e.Setting is { } setting && Flags.TryGetValue(setting, out var flag))
        {
            throw new TrainingSetupException($"{flag} {e.Problem}", e);
        }
    }

    private static void InFlags(Action action) => InFlags(() => { action(); return 0; });

    private static TrainingSettings FreshSettings(TrainingRequest request, Dataset train)
    {
        string optimizer = request.Optimizer ?? TrainingSettings.DefaultOptimizer;
        bool known = false;
        foreach (string name in OptimizerSettings.Names)
            known |= string.Equals(name, optimizer.Trim(), StringComparison.OrdinalIgnoreCase);
        if (!known)
            throw new TrainingSetupException(
                $"--optimizer '{optimizer}' is unknown; choose one of {string.Join(", ", OptimizerSettings.Names)}.");
        var optimizerSettings = TrainingSettings.OptimizerFor(optimizer, request.LearningRate, request.WeightDecay ?? 0f);
        return new TrainingSettings
        {
            Epochs = request.Epochs ?? TrainingSettings.DefaultEpochs,
            BatchSize = request.BatchSize ?? TrainingSettings.DefaultBatchSize,
            Optimizer = optimizerSettings,
            Seed = request.Seed ?? TrainingSettings.DefaultSeed,
            Schedule = InFlags(() => LearningRateSchedule.For(request.Schedule ?? "constant", request.WarmupEpochs ?? 0)),
            ValidationSplit = request.ValidationSplit ?? 0,
            Augmentation = ParseAugment(request.Augment, train) ?? Augmentation.None,
        };
    }

    /// <summary>
    /// The data with --preprocess applied, or on resume the checkpoint's preprocessing (which
    /// --preprocess, when given, must name).
    /// </summary>
    private static DataSplits Preprocess(DataSplits data, string? asked, Preprocessing? saved)
    {
        Preprocessing preprocessing;
        try
        {
            preprocessing = asked is null ? saved ?? Preprocessing.None : Preprocessing.Parse(asked);
        }
        catch (FormatException e)
        {
            throw new TrainingSetupException($"--preprocess {e.Message}");
        }
        if (saved is not null && preprocessing != saved)
            throw new TrainingSetupException(
                $"--preprocess {preprocessing} differs from the checkpoint's {saved}; a resumed run keeps the checkpoint's settings, so drop --preprocess (only --epochs may change).");
        try
        {
            return data.Preprocessed(preprocessing);
        }
        catch (ArgumentException e)
        {
            throw new TrainingSetupException($"--preprocess {preprocessing}: {e.Message}");
        }
    }

    /// <summary>--augment read against the training images' size, or null when not given.</summary>
    private static Augmentation? ParseAugment(string? text, Dataset train)
    {
        if (text is null) return null;
        try
        {
            return Augmentation.Parse(text, train.Rows, train.Columns);
        }
        catch (FormatException e)
        {
            throw new TrainingSetupException($"--augment {e.Message}");
        }
    }

    /// <summary>The checkpoint's settings; only the epoch count may change, and other options must agree.</summary>
    private static TrainingSettings ResumedSettings(TrainingRequest request, TrainingCheckpoint checkpoint, Dataset train)
    {
        var saved = checkpoint.Settings;
        var inv = CultureInfo.InvariantCulture;
        Agree(request.BatchSize, saved.BatchSize, "--batch-size");
        Agree(request.Seed, saved.Seed, "--seed");
        Agree(request.LearningRate, saved.Optimizer.LearningRate, "--lr");
        Agree(request.WeightDecay, saved.Optimizer.WeightDecay, "--weight-decay");
        Agree(request.WarmupEpochs, saved.Schedule.WarmupEpochs, "--warmup");
        Agree(request.ValidationSplit, saved.ValidationSplit, "--validation-split");
        if (request.Schedule is not null
            && !string.Equals(request.Schedule.Trim(), saved.Schedule.Name, StringComparison.OrdinalIgnoreCase))
            throw Conflict("--schedule", request.Schedule, saved.Schedule.Name);
        if (request.Optimizer is not null
            && !string.Equals(request.Optimizer.Trim(), saved.Optimizer.Name, StringComparison.OrdinalIgnoreCase))
            throw Conflict("--optimizer", request.Optimizer, saved.Optimizer.Name);
        if (ParseAugment(request.Augment, train) is { } augment && augment != saved.Augmentation)
            throw Conflict("--augment", augment.ToString(), saved.Augmentation.ToString());

        int epochs = request.Epochs ?? saved.Epochs;
        var state = checkpoint.State;
        if (state.Epoch >= epochs)
            throw new TrainingSetupException(
                $"The checkpoint has already trained {Plural.Of(state.Epoch, "epoch")}; pass --epochs greater than {state.Epoch} to train further.");
        return saved with { Epochs = epochs };

        void Agree<T>(T? asked, T saved, string option) where T : struct, IFormattable
        {
            if (asked is { } value && !EqualityComparer<T>.Default.Equals(value, saved))
                throw Conflict(option, value.ToString(null, inv), saved.ToString(null, inv));
        }

        TrainingSetupException Conflict(string option, string asked, string saved) =>
            new($"{option} {asked} differs from the checkpoint's {saved}; a resumed run keeps the checkpoint's settings, so drop {option} (only --epochs may change).");
    }

    private static ModelSpec ChooseModel(TrainingRequest request, ModelCheckpoint? checkpoint, DataSplits data)
    {
        var sample = new TensorShape(data.Train.Channels, data.Train.Rows, data.Train.Columns);
        int classes = data.Train.ClassCount;
        if (checkpoint is null)
            return LossChoice.Apply(request, ModelSpec.FromPresetOrFile(request.Model ?? TrainingRequest.DefaultModel, classes).For(sample, classes));

        var saved = checkpoint.Metadata.Model;
        LossChoice.CheckResumed(request, saved);
        if (request.Model is not null)
        {
            // The loss is compared by CheckResumed, in terms of --loss and --label-smoothing.
            var asked = ModelSpec.FromPresetOrFile(request.Model, classes).For(sample, classes) with { Loss = saved.Loss };
            if (asked.ToJson() != saved.ToJson())
                throw new CheckpointException(checkpoint.Path,
                    $"it holds model '{saved.Name ?? "custom"}' ({string.Join("×", saved.Input!)} input, {saved.Classes} classes), which is not the model '{request.Model}' asked for.",
                    "Drop --model to continue the checkpoint's own model.");
        }
        return saved;
    }

    /// <summary>Frees the trainer and the network it built and releases the run folder's lock; the provider is the caller's.</summary>
    public void Dispose()
    {
        Trainer.Dispose();
        Trainer.Network.Dispose();
        _folderLock?.Dispose();
    }
}
