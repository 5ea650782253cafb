using System.Diagnostics;
using System.Globalization;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Checkpoints;

namespace CnnNative.Nn.Training;

/// <summary>
/// Trains a <see cref="Network"/> with mini-batches: each epoch shuffles the training set
/// once (from the seed) and takes its batches in order; after each epoch the whole test set
/// is evaluated and a metrics row is added; with a <see cref="CheckpointPath"/>, the checkpoint
/// there is rewritten atomically. Each batch is one <see cref="Network.TrainStep"/>.
/// <para>A step moves one batch of images and one of labels to the provider and nothing back:
/// the loss is summed on the provider (<see cref="IComputeProvider.Axpy"/>, weighted by the
/// batch size) and correct predictions are counted there (<see cref="IComputeProvider.CountCorrect"/>);
/// both come down every few batches (about 5 % of an epoch) for the progress display and the
/// NaN check, and at the end of the epoch.</para>
/// <para>Cancellation stops after the current batch and saves a checkpoint that
/// <see cref="Resume"/> continues bit for bit. A NaN or infinite loss stops the run without
/// saving, so the checkpoint of the last finished epoch stays as it was.</para>
/// </summary>
public sealed class Trainer : IDisposable
{
    /// <summary>The running loss and accuracy are downloaded about this many times per epoch.</summary>
    public const int ReportsPerEpoch = 20;

    private readonly Dataset _train;
    private readonly Dataset _test;
    private readonly bool _ownsOptimizer;
    private string? _checkpointPath;
    private readonly Batcher _batcher;
    private readonly BatchFeeder _feeder;
    private readonly Evaluator _evaluator;
    private readonly Tensor _lossSum;
    private readonly Tensor _correct;
    private readonly float[] _host = new float[1];
    private readonly List<EpochMetrics> _history = [];
    private TrainingState? _lastSaved;

    /// <summary>
    /// Prepares to train <paramref name="network"/> on <paramref name="train"/>, evaluating on
    /// <paramref name="test"/>, with <paramref name="optimizer"/> — any <see cref="Optimizer"/> of
    /// the network's parameters, which the caller keeps and disposes — or, when null, a new one
    /// made from <see cref="TrainingSettings.Optimizer"/> (owned and disposed by the trainer).
    /// </summary>
    public Trainer(Network network, Dataset train, Dataset test, TrainingSettings settings, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        MemoryEstimate.Check(network.Summary, settings.BatchSize);
        Evaluator.CheckFits(network, train);
        Evaluator.CheckFits(network, test);
        if (optimizer is not null) CheckUpdates(optimizer, network);
        Network = network;
        _train = train;
        _test = test;
        _ownsOptimizer = optimizer is null;
        _batcher = Batcher.ForTraining(train, settings.BatchSize, settings.Seed);
        var provider = network.Provider;
        var owned = new List<IDisposable>();
        try
        {
            Optimizer = optimizer ?? Optimizer.Create(settings.Optimizer, network.Parameters);
            if (_ownsOptimizer) owned.Add(Optimizer);
            // The canonical optimizer name, so checkpoints compare equal whatever the spelling.
            Settings = settings with { Optimizer = Optimizer.Settings };
            _feeder = new BatchFeeder(provider, network.InputShape, settings.BatchSize);
            owned.Add(_feeder);
            _evaluator = new Evaluator(network, settings.BatchSize);
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

    /// <summary>
    /// Combines the gradients of every step before the update (data-parallel training's
    /// all-reduce); null trains on this process's gradients alone. See <see cref="IGradientReducer"/>.
    /// </summary>
    public IGradientReducer? GradientReducer { get; set; }

    /// <summary>Where the run stands (updated at every checkpoint and when <see cref="Run"/> returns).</summary>
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

    /// <summary>
    /// The file that receives the run's checkpoint — weights, optimizer state and where the run
    /// stands (<see cref="TrainingCheckpoint"/>) — before the first batch, after every epoch and
    /// on cancellation, atomically; null writes nothing.
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

    /// <summary>
    /// Loads <paramref name="checkpoint"/> — weights, optimizer state, step counters, data
    /// position, the partial epoch's sums and the earlier epochs' metrics — so that
    /// <see cref="Run"/> continues exactly where the checkpointed run stopped.
    /// </summary>
    public void Resume(ModelCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var meta = TrainingCheckpoint.Read(checkpoint);
        if (meta.Settings.BatchSize != Settings.BatchSize || meta.Settings.Seed != Settings.Seed
            || meta.Settings.Optimizer != Optimizer.Settings)
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
        checkpoint.Restore(Network, Optimizer);
        Network.TrainingStep = state.NetworkStep;
        Optimizer.StepCount = state.OptimizerSteps;
        State = state;
        _history.Clear();
        _history.AddRange(meta.History);
    }

    /// <summary>
    /// Trains until <see cref="TrainingSettings.Epochs"/> epochs are done, <paramref name="cancel"/>
    /// is signalled (checked after every batch), or the loss stops being finite.
    /// </summary>
    public TrainingResult Run(ITrainingProgress? progress = null, CancellationToken cancel = default)
    {
        progress ??= NoProgress.Instance;
        var provider = Network.Provider;
        int batches = BatchesPerEpoch;
        int interval = Math.Max(1, (batches + ReportsPerEpoch - 1) / ReportsPerEpoch);
        var state = State;
        if (state.Epoch >= Settings.Epochs)
            return new TrainingResult(TrainingOutcome.Completed, _history, state, null);

        // A fresh run saves its initial weights, so a run that diverges in its first epoch
        // still leaves a loadable (and resumable) checkpoint behind.
        if (_checkpointPath is not null && _lastSaved is null) Save(state);
        progress.Started(new TrainingStart(state.Epoch + 1, state.Batch, Settings.Epochs, batches, _batcher.SamplesPerEpoch, _test.Count));

        for (int epoch = state.Epoch; epoch < Settings.Epochs; epoch++)
        {
            bool continuing = epoch == state.Epoch;
            int batch = continuing ? state.Batch : 0;
            long samples = continuing ? state.EpochSamples : 0;
            double trainSeconds = continuing ? state.EpochTrainSeconds : 0;
            // A checkpoint holds the totals of all processes: one process carries them on.
            bool carries = continuing && Shard.Rank == 0;
            _host[0] = carries ? state.EpochLossSum : 0f;
            provider.Upload(_host, _lossSum);
            _host[0] = carries ? state.EpochCorrect : 0f;
            provider.Upload(_host, _correct);
            long ownSamples = carries ? samples : 0;
            _batcher.Seek(new BatchPosition(epoch, batch));

            long started = Stopwatch.GetTimestamp();
            int lastChecked = batch;
            while (TrainNextBatch(out int count))
            {
                batch++;
                ownSamples += count;
                bool report = batch % interval == 0 || batch == batches;
                if (report)
                {
                    (double lossSum, double correct, samples) = Totals(ownSamples);
                    if (!double.IsFinite(lossSum))
                        return Diverge(epoch, lastChecked, batch, lossSum);
                    lastChecked = batch;
                    progress.BatchDone(new BatchProgress(epoch + 1, batch, batches, lossSum / samples, correct / samples));
                }
                else
                {
                    progress.BatchDone(new BatchProgress(epoch + 1, batch, batches, double.NaN, double.NaN));
                }
                if (cancel.IsCancellationRequested && batch < batches)
                {
                    trainSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
                    (double lossSum, double correct, samples) = Totals(ownSamples);
                    if (!double.IsFinite(lossSum))
                        return Diverge(epoch, lastChecked, batch, lossSum); // never checkpoint a broken model
                    return Interrupt(new TrainingState(epoch, batch, Optimizer.StepCount, Network.TrainingStep,
                        (float)lossSum, (long)correct, samples, trainSeconds));
                }
            }
            provider.Synchronize();
            trainSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            (double epochLossSum, double epochCorrect, samples) = Totals(ownSamples);
            double epochLoss = epochLossSum / samples;
            double trainAccuracy = epochCorrect / samples;
            GradientReducer?.EpochFinished(Network);

            progress.Evaluating(epoch + 1);
            long evalStarted = Stopwatch.GetTimestamp();
            double testAccuracy = _evaluator.Accuracy(_test);
            double seconds = trainSeconds + Stopwatch.GetElapsedTime(evalStarted).TotalSeconds;

            var metrics = new EpochMetrics(epoch + 1, epochLoss, trainAccuracy, testAccuracy,
                trainSeconds > 0 ? samples / trainSeconds : 0, seconds);
            _history.Add(metrics);
            var next = new TrainingState(epoch + 1, 0, Optimizer.StepCount, Network.TrainingStep, 0f, 0, 0, 0);
            if (_checkpointPath is not null) Save(next);
            State = next;
            progress.EpochDone(metrics);
            if (cancel.IsCancellationRequested && epoch + 1 < Settings.Epochs)
                return Interrupt(next, saved: true);
        }
        return new TrainingResult(TrainingOutcome.Completed, _history, State, null);
    }

    /// <summary>Uploads the batcher's next batch and trains on it; false when the epoch is finished.</summary>
    internal bool TrainNextBatch(out int count)
    {
        if (!_feeder.TryFeed(_batcher, out count)) return false;
        TrainBatch(count);
        return true;
    }

    /// <summary>One <see cref="Network.TrainStep"/>, then the epoch's correct count and loss sum grow on the provider; no host transfer.</summary>
    private void TrainBatch(int count)
    {
        var network = Network;
        network.TrainStep(_feeder.Images, _feeder.Labels, Optimizer, GradientReducer);
        // The step leaves its scores and loss in place: count and sum what it trained on.
        network.CountCorrect(_feeder.Labels, _correct);
        network.Provider.Axpy(count, network.LossLayer.Loss, _lossSum);
    }

    /// <summary>The epoch's loss sum, correct count and samples so far, over all processes.</summary>
    private (double LossSum, double Correct, long Samples) Totals(long ownSamples)
    {
        Span<double> totals = [Read(_lossSum), Read(_correct), ownSamples];
        GradientReducer?.ReduceTotals(totals);
        return (totals[0], totals[1], (long)totals[2]);
    }

    private double Read(Tensor scalar)
    {
        Network.Provider.Download(scalar, _host);
        return _host[0];
    }

    private void Save(TrainingState state)
    {
        var metadata = new TrainingCheckpoint(Settings, state, [.. _history]).ToMetadata(Network, _train.ClassNames);
        ModelCheckpoint.Save(_checkpointPath!, Network, Optimizer, metadata);
        _lastSaved = state;
        State = state;
    }

    private TrainingResult Interrupt(TrainingState state, bool saved = false)
    {
        if (!saved && _checkpointPath is not null) Save(state);
        State = state;
        string where = $"Stopped {state.Where(BatchesPerEpoch)}";
        string message = _checkpointPath is null
            ? where + "."
            : $"{where}; {_checkpointPath} resumes it exactly.";
        return new TrainingResult(TrainingOutcome.Interrupted, _history, state, message);
    }

    private TrainingResult Diverge(int epoch, int fromBatch, int toBatch, double lossSum)
    {
        string what = double.IsNaN(lossSum) ? "NaN" : "infinite";
        string batches = toBatch - fromBatch <= 1 ? $"batch {toBatch}" : $"batches {fromBatch + 1}–{toBatch}";
        string lr = Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture);
        string kept = "";
        if (_checkpointPath is not null && _lastSaved is { } saved)
        {
            string which = saved.Epoch == 0 && saved.Batch == 0 ? "the initial weights"
                : saved.Batch == 0 ? $"after epoch {saved.Epoch}"
                : $"epoch {saved.Epoch + 1}, batch {saved.Batch}";
            kept = $" The last good checkpoint ({which}) is kept in {_checkpointPath}.";
        }
        var state = _lastSaved ?? TrainingState.Start;
        State = state;
        return new TrainingResult(TrainingOutcome.Diverged, _history, state,
            $"Training stopped: the loss became {what} in epoch {epoch + 1} ({batches}); lower the learning rate (now {lr}).{kept}");
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
