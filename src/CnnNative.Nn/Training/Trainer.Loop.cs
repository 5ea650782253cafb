using System.Diagnostics;
using System.Globalization;
using CnnNative.Core;
using CnnNative.Data;

namespace CnnNative.Nn.Training;

/// <summary>The epoch loop: batches, evaluation, callbacks, checkpoints and how a run ends.</summary>
public sealed partial class Trainer
{
    /// <summary>
    /// Trains until <see cref="TrainingSettings.Epochs"/> epochs are done, a callback calls
    /// <see cref="Stop"/>, <paramref name="cancel"/> is signalled (checked after every batch),
    /// or the loss stops being finite. <paramref name="progress"/>, when given, hears every
    /// event after <see cref="Callbacks"/> (a progress display, typically).
    /// </summary>
    /// <exception cref="InvalidModelException">The model would need more memory than <see cref="MemoryLimit"/> at the batch size.</exception>
    public TrainingResult Run(TrainingCallback? progress = null, CancellationToken cancel = default)
    {
        MemoryEstimate.Check(Network.Summary, Settings.BatchSize, MemoryLimit);
        _running = progress is null ? [.. Callbacks] : [.. Callbacks, progress];
        _stopReason = null;
        foreach (var callback in _running)
        {
            callback.Trainer = this;
            if (callback.StateKey is { } key && _restoredStates.TryGetValue(key, out var state)) callback.RestoreState(state);
        }
        try
        {
            var result = RunEpochs(cancel);
            foreach (var callback in _running) callback.Finished(result);
            return result;
        }
        finally
        {
            _running = [];
        }
    }

    private TrainingResult RunEpochs(CancellationToken cancel)
    {
        var provider = Network.Provider;
        int batches = BatchesPerEpoch;
        int interval = Math.Max(1, (batches + ReportsPerEpoch - 1) / ReportsPerEpoch);
        var state = State;
        if (state.Epoch >= Settings.Epochs)
            return new TrainingResult(TrainingOutcome.Completed, _history, state, null);

        var start = new TrainingStart(state.Epoch + 1, state.Batch, Settings.Epochs, batches, _batcher.SamplesPerEpoch, _test?.Count ?? 0)
        {
            ValidationSamples = _validation?.Count ?? 0,
        };
        foreach (var callback in _running) callback.Started(start);
        // A fresh run saves its initial weights, so a run that diverges in its first epoch
        // still leaves a loadable (and resumable) checkpoint behind.
        if (_checkpointPath is not null && _lastSaved is null) Save(state);

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
                BatchProgress done;
                if (batch % interval == 0 || batch == batches)
                {
                    (double lossSum, double correct, samples) = Totals(ownSamples);
                    if (!double.IsFinite(lossSum))
                        return Diverge(epoch, lastChecked, batch, lossSum);
                    lastChecked = batch;
                    done = new BatchProgress(epoch + 1, batch, batches, lossSum / samples, correct / samples);
                }
                else
                {
                    done = new BatchProgress(epoch + 1, batch, batches, double.NaN, double.NaN);
                }
                foreach (var callback in _running) callback.BatchDone(done);
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
            GradientReducer?.EpochFinished(Network);
            var metrics = FinishEpoch(epoch, epochLossSum / samples, epochCorrect / samples, samples, trainSeconds);

            if (_divergence.Breach(_history, metrics, _train.ClassCount) is { } breach)
                return DivergeBecause(breach);

            var next = new TrainingState(epoch + 1, 0, Optimizer.StepCount, Network.TrainingStep, 0f, 0, 0, 0);
            _history.Add(metrics);
            State = next;
            foreach (var callback in _running) callback.EpochDone(metrics);
            // After the callbacks, so the checkpoint holds their states as of this epoch. An epoch
            // at chance level is written only once the run leaves chance level or ends otherwise:
            // a run the chance rule stops keeps the checkpoint from before it got stuck.
            if (!_divergence.IsAtChance(metrics, _train.ClassCount) || _divergence.ChanceEpochs < 2) SaveIfBehind(next);
            if (_stopReason is not null && epoch + 1 < Settings.Epochs)
            {
                SaveIfBehind(next);
                return new TrainingResult(TrainingOutcome.Stopped, _history, next, _stopReason);
            }
            if (cancel.IsCancellationRequested && epoch + 1 < Settings.Epochs)
                return Interrupt(next);
        }
        SaveIfBehind(State);
        return new TrainingResult(TrainingOutcome.Completed, _history, State, null);
    }

    /// <summary>Writes the checkpoint at <paramref name="state"/> unless it already holds it (or the run keeps none).</summary>
    private void SaveIfBehind(TrainingState state)
    {
        if (_checkpointPath is not null && _lastSaved != state) Save(state);
    }

    /// <summary>The epoch's metrics: the training figures, then validation and test evaluated (loss and accuracy of each).</summary>
    private EpochMetrics FinishEpoch(int epoch, double epochLoss, double trainAccuracy, long samples, double trainSeconds)
    {
        foreach (var callback in _running) callback.Evaluating(epoch + 1);
        long evalStarted = Stopwatch.GetTimestamp();
        var (validationLoss, validationAccuracy) = _validation is null ? (double.NaN, double.NaN) : _evaluator.LossAndAccuracy(_validation);
        var (testLoss, testAccuracy) = _test is null ? (double.NaN, double.NaN) : _evaluator.LossAndAccuracy(_test);
        double seconds = trainSeconds + Stopwatch.GetElapsedTime(evalStarted).TotalSeconds;
        return new EpochMetrics(epoch + 1, epochLoss, trainAccuracy, testAccuracy,
            trainSeconds > 0 ? samples / trainSeconds : 0, seconds)
        {
            ValidationLoss = validationLoss,
            ValidationAccuracy = validationAccuracy,
            TestLoss = testLoss,
            LearningRate = Optimizer.LearningRate,
        };
    }

    /// <summary>Uploads the batcher's next batch and trains on it; false when the epoch is finished.</summary>
    internal bool TrainNextBatch(out int count)
    {
        if (!_feeder.TryFeed(_batcher, out count)) return false;
        TrainBatch(count);
        return true;
    }

    /// <summary>One <see cref="Network.TrainStep"/> at the scheduled rate, then the epoch's correct count and loss sum grow on the provider; no host transfer.</summary>
    private void TrainBatch(int count)
    {
        var network = Network;
        // A constant schedule never touches the rate, so a callback may set it by hand.
        if (!Settings.Schedule.IsConstant) Optimizer.LearningRate = LearningRateAt(Optimizer.StepCount);
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
        State = state;
        SaveCheckpoint(_checkpointPath!);
        _lastSaved = state;
    }

    private TrainingResult Interrupt(TrainingState state)
    {
        SaveIfBehind(state);
        State = state;
        string where = $"Stopped {state.Where(BatchesPerEpoch)}";
        string message = _checkpointPath is null
            ? where + "."
            : $"{where}; {_checkpointPath} resumes it exactly.";
        return new TrainingResult(TrainingOutcome.Interrupted, _history, state, message);
    }

    /// <summary>A finite loss that broke <see cref="Divergence"/>: the epoch is not checkpointed, the last good checkpoint stays.</summary>
    private TrainingResult DivergeBecause(string breach)
    {
        string lr = Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture);
        return Diverged($"Training stopped: {breach}; the run has diverged. Lower the learning rate (now {lr}).{KeptCheckpoint()}");
    }

    private TrainingResult Diverge(int epoch, int fromBatch, int toBatch, double lossSum)
    {
        string what = double.IsNaN(lossSum) ? "NaN" : "infinite";
        string batches = toBatch - fromBatch <= 1 ? $"batch {toBatch}" : $"batches {fromBatch + 1}–{toBatch}";
        string lr = Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture);
        return Diverged($"Training stopped: the loss became {what} in epoch {epoch + 1} ({batches}); lower the learning rate (now {lr}).{KeptCheckpoint()}");
    }

    /// <summary>The run ends diverged, back at the last good checkpoint's position.</summary>
    private TrainingResult Diverged(string message)
    {
        var state = _lastSaved ?? TrainingState.Start;
        State = state;
        return new TrainingResult(TrainingOutcome.Diverged, _history, state, message);
    }

    /// <summary>" The last good checkpoint (after epoch 2) is kept in …", or "" without a checkpoint.</summary>
    private string KeptCheckpoint()
    {
        if (_checkpointPath is null || _lastSaved is not { } saved) return "";
        string which = saved.Epoch == 0 && saved.Batch == 0 ? "the initial weights"
            : saved.Batch == 0 ? $"after epoch {saved.Epoch}"
            : $"epoch {saved.Epoch + 1}, batch {saved.Batch}";
        return $" The last good checkpoint ({which}) is kept in {_checkpointPath}.";
    }
}
