using System.Diagnostics;
using System.Globalization;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Checkpoints;

namespace CnnNative.Nn.Training;

/// <summary>
/// Trains a <see cref="Network"/> with mini-batches: each epoch shuffles the training set
/// once (from the seed) and takes its batches in order; after each epoch the whole test set
/// is evaluated, a metrics row is added and, with a <see cref="RunFolder"/>, the checkpoint and
/// metrics.csv are rewritten atomically.
/// <para>A step moves one batch of images and one of labels to the provider and nothing back:
/// the loss is summed on the provider (<see cref="IComputeProvider.Axpy"/>, weighted by the
/// batch size) and correct predictions are counted there (<see cref="IComputeProvider.CountCorrect"/>);
/// both come down every few batches (about 5 % of an epoch) for the progress display and the
/// NaN check, and at the end of the epoch.</para>
/// <para>Cancellation (Ctrl+C) stops after the current batch and saves a checkpoint that
/// <see cref="Resume"/> continues bit for bit. A NaN or infinite loss stops the run without
/// saving, so the checkpoint of the last finished epoch stays as it was.</para>
/// </summary>
public sealed class Trainer : IDisposable
{
    /// <summary>The running loss and accuracy are downloaded about this many times per epoch.</summary>
    public const int ReportsPerEpoch = 20;

    private readonly Dataset _train;
    private readonly Dataset _test;
    private RunFolder? _output;
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
    /// <paramref name="test"/>, with a new optimizer made from <paramref name="settings"/>.
    /// With <paramref name="output"/>, checkpoints and metrics go to that run folder (see <see cref="Output"/>).
    /// </summary>
    public Trainer(Network network, Dataset train, Dataset test, TrainingSettings settings, RunFolder? output = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        MemoryEstimate.Check(network.Summary, settings.BatchSize);
        Evaluator.CheckFits(network, train);
        Evaluator.CheckFits(network, test);
        Network = network;
        _train = train;
        _test = test;
        _output = output;
        _batcher = Batcher.ForTraining(train, settings.BatchSize, settings.Seed);
        var provider = network.Provider;
        var owned = new List<IDisposable>();
        try
        {
            Optimizer = Optimizer.Create(settings.Optimizer, network.Parameters);
            owned.Add(Optimizer);
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

    public Network Network { get; }

    public Optimizer Optimizer { get; }

    public TrainingSettings Settings { get; }

    /// <summary>Where the run stands (updated at every checkpoint and when <see cref="Run"/> returns).</summary>
    public TrainingState State { get; private set; }

    /// <summary>Metrics of every finished epoch, including those before a resume.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;

    public int BatchesPerEpoch => _batcher.BatchesPerEpoch;

    /// <summary>
    /// The run folder that receives the checkpoint (initially, after every epoch and on
    /// cancellation) and metrics.csv (after every epoch); null writes nothing.
    /// </summary>
    public RunFolder? Output
    {
        get => _output;
        set
        {
            _output = value;
            _lastSaved = null; // the new folder has no checkpoint of this run yet: Run saves one first
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
        var meta = checkpoint.Metadata;
        if (meta.Settings.BatchSize != Settings.BatchSize || meta.Settings.Seed != Settings.Seed
            || meta.Settings.Optimizer != Optimizer.Settings)
            throw new TrainingSetupException(
                $"The checkpoint was trained with {meta.Settings} but this run asks for {Settings}; resume with the checkpoint's settings (only --epochs may change).");
        var state = meta.State;
        if (state.Batch > BatchesPerEpoch)
            throw new CheckpointException(checkpoint.Path,
                $"it stopped at batch {state.Batch} of an epoch, but this data has {BatchesPerEpoch} batches per epoch.",
                "Resume with the data set it was trained on.");
        if (meta.History.Count != state.Epoch)
            throw new CheckpointException(checkpoint.Path,
                $"it records {meta.History.Count} epochs of metrics but stands in epoch {state.Epoch + 1}.", "The file is corrupt; use another checkpoint.");
        checkpoint.Restore(Network, Optimizer);
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
        if (_output is not null && _lastSaved is null) Save(state);
        progress.Started(new TrainingStart(state.Epoch + 1, state.Batch, Settings.Epochs, batches, _batcher.SamplesPerEpoch, _test.Count));

        for (int epoch = state.Epoch; epoch < Settings.Epochs; epoch++)
        {
            bool continuing = epoch == state.Epoch;
            int batch = continuing ? state.Batch : 0;
            long samples = continuing ? state.EpochSamples : 0;
            double trainSeconds = continuing ? state.EpochTrainSeconds : 0;
            _host[0] = continuing ? state.EpochLossSum : 0f;
            provider.Upload(_host, _lossSum);
            _host[0] = continuing ? state.EpochCorrect : 0f;
            provider.Upload(_host, _correct);
            _batcher.Seek(new BatchPosition(epoch, batch));

            long started = Stopwatch.GetTimestamp();
            int lastChecked = batch;
            while (TrainNextBatch(out int count))
            {
                batch++;
                samples += count;
                bool report = batch % interval == 0 || batch == batches;
                if (report)
                {
                    double lossSum = Read(_lossSum);
                    if (!double.IsFinite(lossSum))
                        return Diverge(epoch, lastChecked, batch, lossSum);
                    lastChecked = batch;
                    progress.BatchDone(new BatchProgress(epoch + 1, batch, batches, lossSum / samples, Read(_correct) / samples));
                }
                else
                {
                    progress.BatchDone(new BatchProgress(epoch + 1, batch, batches, double.NaN, double.NaN));
                }
                if (cancel.IsCancellationRequested && batch < batches)
                {
                    trainSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
                    double lossSum = Read(_lossSum);
                    if (!double.IsFinite(lossSum))
                        return Diverge(epoch, lastChecked, batch, lossSum); // never checkpoint a broken model
                    return Interrupt(new TrainingState(epoch, batch, Optimizer.StepCount, Network.TrainingStep,
                        (float)lossSum, (long)Read(_correct), samples, trainSeconds));
                }
            }
            provider.Synchronize();
            trainSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            double epochLoss = Read(_lossSum) / samples;
            double trainAccuracy = Read(_correct) / samples;

            progress.Evaluating(epoch + 1);
            long evalStarted = Stopwatch.GetTimestamp();
            double testAccuracy = _evaluator.Accuracy(_test);
            double seconds = trainSeconds + Stopwatch.GetElapsedTime(evalStarted).TotalSeconds;

            var metrics = new EpochMetrics(epoch + 1, epochLoss, trainAccuracy, testAccuracy,
                trainSeconds > 0 ? samples / trainSeconds : 0, seconds);
            _history.Add(metrics);
            var next = new TrainingState(epoch + 1, 0, Optimizer.StepCount, Network.TrainingStep, 0f, 0, 0, 0);
            if (_output is not null)
            {
                Save(next);
                _output.WriteMetrics(_history);
            }
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

    /// <summary>One step: forward in training mode, loss, count correct, backward, update; no host transfer.</summary>
    private void TrainBatch(int count)
    {
        var network = Network;
        var labels = _feeder.Labels;
        var scores = network.Forward(_feeder.Images, training: true);
        var loss = network.Loss(labels);
        network.Provider.CountCorrect(network.LossLayer.AsMatrix(scores), labels, _correct);
        network.Provider.Axpy(count, loss, _lossSum);
        network.Backward();
        Optimizer.Step();
        network.TrainingStep++;
    }

    private double Read(Tensor scalar)
    {
        Network.Provider.Download(scalar, _host);
        return _host[0];
    }

    private void Save(TrainingState state)
    {
        var metadata = new CheckpointMetadata(Network.Spec, _train.ClassNames, Settings, state, [.. _history], Network.Provider.Name);
        _output!.SaveCheckpoint(Network, Optimizer, metadata);
        _lastSaved = state;
        State = state;
    }

    private TrainingResult Interrupt(TrainingState state, bool saved = false)
    {
        if (!saved && _output is not null) Save(state);
        State = state;
        string where = state.Batch == 0
            ? $"Stopped after epoch {state.Epoch}"
            : $"Stopped after batch {state.Batch} of {BatchesPerEpoch} in epoch {state.Epoch + 1}";
        string message = _output is null
            ? where + "."
            : $"{where}; continue with --resume {_output.CheckpointPath}.";
        return new TrainingResult(TrainingOutcome.Interrupted, _history, state, message);
    }

    private TrainingResult Diverge(int epoch, int fromBatch, int toBatch, double lossSum)
    {
        string what = double.IsNaN(lossSum) ? "NaN" : "infinite";
        string batches = toBatch - fromBatch <= 1 ? $"batch {toBatch}" : $"batches {fromBatch + 1}–{toBatch}";
        string lr = Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture);
        string kept = "";
        if (_output is not null && _lastSaved is { } saved)
        {
            string which = saved.Epoch == 0 && saved.Batch == 0 ? "the initial weights"
                : saved.Batch == 0 ? $"after epoch {saved.Epoch}"
                : $"epoch {saved.Epoch + 1}, batch {saved.Batch}";
            kept = $" The last good checkpoint ({which}) is kept in {_output.CheckpointPath}.";
        }
        var state = _lastSaved ?? TrainingState.Start;
        State = state;
        return new TrainingResult(TrainingOutcome.Diverged, _history, state,
            $"Training stopped: the loss became {what} in epoch {epoch + 1} ({batches}); lower the learning rate (now {lr}).{kept}");
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        _feeder.Dispose();
        _evaluator.Dispose();
        _lossSum.Dispose();
        _correct.Dispose();
    }
}
