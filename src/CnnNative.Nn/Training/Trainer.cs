using System.Text.Json.Nodes;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Checkpoints;

namespace CnnNative.Nn.Training;

/// <summary>
/// Trains a <see cref="Network"/> with mini-batches: each epoch shuffles the training set
/// once (from the seed) and takes its batches in order, each one <see cref="Network.TrainStep"/>
/// at the rate the <see cref="TrainingSettings.Schedule"/> gives; after each epoch the
/// held-out validation set (<see cref="TrainingSettings.ValidationSplit"/>) and the test set
/// are evaluated, a metrics row is added, the <see cref="Callbacks"/> hear of it and, with a
/// <see cref="CheckpointPath"/>, the checkpoint there is rewritten atomically.
/// <para>A step moves one batch of images and one of labels to the provider and nothing back:
/// the loss is summed on the provider (<see cref="IComputeProvider.Axpy"/>, weighted by the
/// batch size) and correct predictions are counted there (<see cref="IComputeProvider.CountCorrect"/>);
/// both come down every few batches (about 5 % of an epoch) for the progress display and the
/// NaN check, and at the end of the epoch.</para>
/// <para>Cancellation stops after the current batch and saves a checkpoint that
/// <see cref="Resume"/> continues bit for bit — schedule position and callback states
/// included. A NaN or infinite loss stops the run without saving, so the checkpoint of the
/// last finished epoch stays as it was.</para>
/// </summary>
public sealed partial class Trainer : IDisposable
{
    /// <summary>The running loss and accuracy are downloaded about this many times per epoch.</summary>
    public const int ReportsPerEpoch = 20;

    private readonly Dataset _train;
    private readonly Dataset? _validation;
    private readonly Dataset? _test;
    private readonly bool _ownsOptimizer;
    private readonly float _baseLearningRate;
    private string? _checkpointPath;
    private readonly Batcher _batcher;
    private readonly BatchFeeder _feeder;
    private readonly Evaluator _evaluator;
    private readonly Tensor _lossSum;
    private readonly Tensor _correct;
    private readonly float[] _host = new float[1];
    private readonly List<EpochMetrics> _history = [];
    private IReadOnlyDictionary<string, JsonNode> _restoredStates = new Dictionary<string, JsonNode>();
    private TrainingCallback[] _running = [];
    private TrainingState? _lastSaved;
    private DivergenceRule _divergence = DivergenceRule.Default;
    private string? _stopReason;

    /// <summary>
    /// Prepares to train <paramref name="network"/> on <paramref name="train"/> (less the
    /// validation split, when the settings ask for one), evaluating on <paramref name="test"/>
    /// when given, with <paramref name="optimizer"/> — any <see cref="Optimizer"/> of the
    /// network's parameters, including a subclass of your own, which the caller keeps and
    /// disposes — or, when null, a new one made from <see cref="TrainingSettings.Optimizer"/>
    /// (owned and disposed by the trainer).
    /// </summary>
    public Trainer(Network network, Dataset train, Dataset? test, TrainingSettings settings, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Evaluator.CheckFits(network, train);
        if (test is not null) Evaluator.CheckFits(network, test);
        if (test is not null && test.Preprocessing != train.Preprocessing)
            throw new TrainingSetupException(
                $"The training images are preprocessed '{train.Preprocessing}' but the test images '{test.Preprocessing}'; preprocess both the same way.");
        if (optimizer is not null) CheckUpdates(optimizer, network);
        Network = network;
        if (settings.ValidationSplit > 0) (train, _validation) = HoldOut.Split(train, settings.ValidationSplit, settings.Seed);
        _train = train;
        _test = test;
        _ownsOptimizer = optimizer is null;
        _batcher = Batcher.ForTraining(train, settings.BatchSize, settings.Seed);
        try
        {
            _batcher.Augmentation = settings.Augmentation;
        }
        catch (FormatException e)
        {
            throw new TrainingSetupException(nameof(TrainingSettings.Augmentation), $"does not fit the data: {e.Message}");
        }
        var provider = network.Provider;
        var owned = new List<IDisposable>();
        try
        {
            Optimizer = optimizer ?? Optimizer.Create(settings.Optimizer, network.Parameters);
            if (_ownsOptimizer) owned.Add(Optimizer);
            _baseLearningRate = Optimizer.LearningRate;
            // The canonical optimizer name, so checkpoints compare equal whatever the spelling.
            Settings = settings with { Optimizer = Optimizer.Settings };
            _feeder = new BatchFeeder(provider, network.InputShape, settings.BatchSize);
            owned.Add(_feeder);
            // Run checks the training estimate, which covers evaluation at the same batch size.
            _evaluator = new Evaluator(network, settings.BatchSize, memoryLimit: long.MaxValue);
            owned.Add(_evaluator);
            _lossSum = provider.Allocate(new TensorShape(1));
            owned.Add(_lossSum);
            _correct = provider.Allocate(new TensorShape(1));
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
        State = TrainingState.Start;
    }

    /// <summary>The network being trained.</summary>
    public Network Network { get; }

    /// <summary>The optimizer that updates <see cref="Network"/>'s parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The settings, with <see cref="TrainingSettings.Optimizer"/> those of <see cref="Optimizer"/>.</summary>
    public TrainingSettings Settings { get; }

    /// <summary>The samples trained on (the training data less the validation split).</summary>
    public Dataset Train => _train;

    /// <summary>The held-out validation samples, or null without a validation split.</summary>
    public Dataset? Validation => _validation;

    /// <summary>The test set evaluated after every epoch, or null.</summary>
    public Dataset? Test => _test;

    /// <summary>
    /// The callbacks every <see cref="Run"/> drives, in order (early stopping, keep-best, your
    /// own <see cref="TrainingCallback"/>s). Add them before <see cref="Run"/>, and before
    /// <see cref="Resume"/> hands their saved states back.
    /// </summary>
    public IList<TrainingCallback> Callbacks { get; } = new List<TrainingCallback>();

    /// <summary>
    /// Combines the gradients of every step before the update (data-parallel training's
    /// all-reduce); null trains on this process's gradients alone. See <see cref="IGradientReducer"/>.
    /// </summary>
    public IGradientReducer? GradientReducer { get; set; }

    /// <summary>
    /// When a run whose loss is still finite has diverged (a loss far above its start, or stuck
    /// at chance level; see <see cref="DivergenceRule"/>). Checked after every epoch, before it is
    /// checkpointed, so a diverged run keeps its last good checkpoint. Default
    /// <see cref="DivergenceRule.Default"/>; <see cref="DivergenceRule.NonFiniteOnly"/> leaves
    /// only the NaN/∞ check.
    /// </summary>
    /// <exception cref="ArgumentException">A value out of range (see <see cref="DivergenceRule.Problem"/>).</exception>
    public DivergenceRule Divergence
    {
        get => _divergence;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Problem((nameof(DivergenceRule.LossFactor), nameof(DivergenceRule.ChanceEpochs), nameof(DivergenceRule.ChanceMargin))) is { } problem)
                throw new ArgumentException(problem, nameof(value));
            _divergence = value;
        }
    }

    /// <summary>
    /// The most memory a run may plan to use, in bytes (<see cref="MemoryEstimate"/>, checked
    /// when <see cref="Run"/> starts, before the first batch); null follows the machine
    /// (<see cref="MemoryEstimate.AutomaticLimit"/>).
    /// </summary>
    public long? MemoryLimit { get; set; }

    /// <summary>Where the run stands (updated after every epoch, at every checkpoint and when <see cref="Run"/> returns).</summary>
    public TrainingState State { get; private set; }

    /// <summary>Metrics of every finished epoch, including those before a resume.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    /// <summary>
    /// This process's part of every batch in data-parallel training (see <see cref="BatchShard"/>):
    /// the batches, their order and the global batch size stay those of one process. Set it
    /// together with a <see cref="GradientReducer"/> that averages over the same processes.
    /// </summary>
    public BatchShard Shard
    {
        get => _batcher.Shard;
        set => _batcher.Shard = value;
    }

    /// <summary>Training batches per epoch (the last may be smaller).</summary>
    public int BatchesPerEpoch => _batcher.BatchesPerEpoch;

    /// <summary>Optimizer steps of the whole run (<see cref="TrainingSettings.Epochs"/> × <see cref="BatchesPerEpoch"/>), the span of the schedule.</summary>
    public long TotalSteps => (long)Settings.Epochs * BatchesPerEpoch;

    /// <summary>
    /// The file that receives the run's checkpoint — weights, optimizer state, where the run
    /// stands and the callbacks' states (<see cref="TrainingCheckpoint"/>) — before the first
    /// batch, after every epoch and on cancellation, atomically; null writes nothing.
    /// </summary>
    public string? CheckpointPath
    {
        get => _checkpointPath;
        set
        {
            _checkpointPath = value is null ? null : Path.GetFullPath(value);
            _lastSaved = null; // the new file has no checkpoint of this run yet: Run saves one first
        }
    }

    /// <summary>The learning rate of optimizer step <paramref name="step"/> (0-based) under <see cref="TrainingSettings.Schedule"/>.</summary>
    public float LearningRateAt(long step) =>
        Settings.Schedule.RateAt(step, TotalSteps, BatchesPerEpoch, _baseLearningRate);

    /// <summary>
    /// Ends the run after the current epoch, as <see cref="TrainingOutcome.Stopped"/> with
    /// <paramref name="reason"/> as its message; for callbacks (<see cref="EarlyStopping"/>).
    /// </summary>
    public void Stop(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _stopReason ??= reason;
    }

    /// <summary>
    /// Loads <paramref name="checkpoint"/> — weights, optimizer state, step counters, data
    /// position, the partial epoch's sums, the earlier epochs' metrics and the callbacks'
    /// states — so that <see cref="Run"/> continues exactly where the checkpointed run stopped.
    /// Only <see cref="TrainingSettings.Epochs"/> may differ from the checkpoint's settings
    /// (a longer run stretches a cosine or one-cycle schedule from then on).
    /// </summary>
    public void Resume(ModelCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var meta = TrainingCheckpoint.Read(checkpoint);
        if (meta.Settings with { Epochs = Settings.Epochs } != Settings)
            throw new TrainingSetupException(
                $"The checkpoint was trained with {meta.Settings} but this run asks for {Settings}; resume with the checkpoint's settings (only Epochs may change).");
        var state = meta.State;
        if (state.Batch > BatchesPerEpoch)
            throw new CheckpointException(checkpoint.Path,
                $"it stopped at batch {state.Batch} of an epoch, but this data has {BatchesPerEpoch} batches per epoch.",
                "Resume with the data set it was trained on.");
        if (meta.History.Count != state.Epoch)
            throw new CheckpointException(checkpoint.Path,
                $"it records {meta.History.Count} epochs of metrics but stands in epoch {state.Epoch + 1}.", "The file is corrupt; use another checkpoint.");
        if (checkpoint.Metadata.Preprocessing != _train.Preprocessing)
            throw new TrainingSetupException(
                $"The checkpoint was trained on images preprocessed '{checkpoint.Metadata.Preprocessing}' but this data is preprocessed '{_train.Preprocessing}'; resume with the same preprocessing.");
        checkpoint.Restore(Network, Optimizer);
        Network.TrainingStep = state.NetworkStep;
        Optimizer.StepCount = state.OptimizerSteps;
        State = state;
        _history.Clear();
        _history.AddRange(meta.History);
        _restoredStates = meta.CallbackStates;
    }

    /// <summary>
    /// Writes a checkpoint of the run as it stands to <paramref name="path"/>, atomically:
    /// weights, optimizer state, <see cref="State"/>, <see cref="History"/> and the callbacks'
    /// states. Exact at an epoch's end (from <see cref="TrainingCallback.EpochDone"/>), which is
    /// where <see cref="KeepBestCheckpoint"/> calls it.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var states = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var callback in _running.Length > 0 ? _running : [.. Callbacks])
            if (callback.StateKey is { } key && callback.SaveState() is { } state) states[key] = state;
        var metadata = new TrainingCheckpoint(Settings, State, [.. _history]) { CallbackStates = states }
            .ToMetadata(Network, _train.ClassNames, _train.Preprocessing);
        ModelCheckpoint.Save(path, Network, Optimizer, metadata);
    }

    /// <summary>A given optimizer must update exactly the network's parameters, or training would silently skip some.</summary>
    private static void CheckUpdates(Optimizer optimizer, Network network)
    {
        var updated = new HashSet<Parameter>(optimizer.Parameters, ReferenceEqualityComparer.Instance);
        foreach (var p in network.Parameters)
            if (!updated.Contains(p))
                throw new TrainingSetupException(
                    $"The optimizer does not update the network's parameter '{p.Name}'; create it from network.Parameters.");
        if (updated.Count != network.Parameters.Count)
            throw new TrainingSetupException(
                $"The optimizer updates {updated.Count} parameters but the network has {network.Parameters.Count}; create it from network.Parameters.");
    }

    /// <summary>Frees the trainer's buffers and the optimizer it created (not one it was given).</summary>
    public void Dispose()
    {
        if (_ownsOptimizer) Optimizer.Dispose();
        _feeder.Dispose();
        _evaluator.Dispose();
        _lossSum.Dispose();
        _correct.Dispose();
    }
}
