using CnnNative.Nn.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Turns the trainer's progress reports into <see cref="StepLoss"/> points. The trainer
/// downloads the epoch's running mean loss every few batches (it keeps the step itself free of
/// transfers); from two consecutive running means and the samples behind them follows the
/// mean loss of the batches in between:
/// <c>(mean₂·n₂ − mean₁·n₁) / (n₂ − n₁)</c>, with n = min(batches · batch size, samples per epoch).
/// </summary>
internal sealed class StepLossTracker
{
    private readonly List<StepLoss> _points = [];
    private readonly int _batchSize;
    private int _batchesPerEpoch;
    private int _samplesPerEpoch;
    private int _epoch;
    private double _lossSum;
    private long _samples;

    /// <param name="batchSize">Samples per training batch (the last batch of an epoch may be smaller).</param>
    public StepLossTracker(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _batchSize = batchSize;
    }

    /// <summary>Every point so far, oldest first.</summary>
    public IReadOnlyList<StepLoss> Points => _points;

    /// <summary>
    /// Starts (or resumes) at <paramref name="start"/>. <paramref name="earlier"/> are the points
    /// of the run before a resume; those past the resumed position (written after the checkpoint
    /// that is being continued) are dropped. <paramref name="state"/> carries the loss sum and
    /// samples of a partly trained epoch.
    /// </summary>
    public void Start(TrainingStart start, TrainingState state, IEnumerable<StepLoss> earlier)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(earlier);
        _batchesPerEpoch = start.BatchesPerEpoch;
        _samplesPerEpoch = start.TrainSamples;
        long resumedAt = Step(start.FirstEpoch, start.FirstBatch);
        _points.Clear();
        foreach (StepLoss point in earlier)
            if (point.Step <= resumedAt) _points.Add(point);
        _epoch = start.FirstEpoch;
        bool midEpoch = start.FirstBatch > 0;
        _lossSum = midEpoch ? state.EpochLossSum : 0;
        _samples = midEpoch ? state.EpochSamples : 0;
    }

    /// <summary>Adds a point when <paramref name="progress"/> carries the running loss.</summary>
    public void Record(in BatchProgress progress)
    {
        if (!progress.HasMetrics || _batchesPerEpoch == 0) return;
        if (progress.Epoch != _epoch)
        {
            _epoch = progress.Epoch;
            _lossSum = 0;
            _samples = 0;
        }
        long samples = Math.Min((long)progress.Batch * _batchSize, _samplesPerEpoch);
        if (samples <= _samples) return;
        double lossSum = progress.RunningLoss * samples;
        _points.Add(new StepLoss(Step(progress.Epoch, progress.Batch), (lossSum - _lossSum) / (samples - _samples)));
        _lossSum = lossSum;
        _samples = samples;
    }

    /// <summary>Batches trained since the run began, after <paramref name="batch"/> batches of 1-based <paramref name="epoch"/>.</summary>
    private long Step(int epoch, int batch) => (long)(epoch - 1) * _batchesPerEpoch + batch;
}
