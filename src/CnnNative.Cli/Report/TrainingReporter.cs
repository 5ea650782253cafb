using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Keeps a training run's report.html and steps.csv current while <c>cnn train</c> runs. It
/// wraps the progress display the user sees and passes every call on to it; in addition it
/// <list type="bullet">
/// <item>collects the loss curve from the running losses the trainer reports (<see cref="StepLossTracker"/>);</item>
/// <item>writes a first report when training starts (it reloads itself in a browser while the run goes on);</item>
/// <item>after each epoch — metrics.csv is written by then, the checkpoint right after — runs the model
/// on the test set (<see cref="ModelInspector"/>) and rewrites steps.csv and report.html;</item>
/// <item>at the end (<see cref="Finish"/>) writes the final report, which no longer reloads.</item>
/// </list>
/// Every file is replaced atomically. A report that cannot be written is a warning on standard
/// error, never the end of the training.
/// </summary>
internal sealed class TrainingReporter : TrainingCallback
{
    private readonly TrainingCallback _display;
    private readonly TrainingJob _job;
    private readonly RunFolder _output;
    private readonly TextWriter _warnings;
    private readonly CancellationToken _cancellation;
    private readonly Func<DateTimeOffset> _clock;
    private readonly StepLossTracker _steps;
    private readonly IReadOnlyList<StepLoss> _earlierSteps;
    private ModelInsights? _insights;
    private FilterBank? _currentFilters;

    /// <summary>Wraps <paramref name="display"/> for <paramref name="job"/>; warnings go to <paramref name="warnings"/>, <paramref name="clock"/> stamps the pages.</summary>
    public TrainingReporter(TrainingCallback display, TrainingJob job, TextWriter warnings,
        CancellationToken cancellation = default, Func<DateTimeOffset>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(display);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(warnings);
        _display = display;
        _job = job;
        _output = job.Output ?? throw new ArgumentException("Only the process that writes the run folder (rank 0) reports.", nameof(job));
        _warnings = warnings;
        _cancellation = cancellation;
        _clock = clock ?? (() => DateTimeOffset.Now);
        _steps = new StepLossTracker(job.Trainer.Settings.BatchSize);
        _earlierSteps = EarlierSteps(job);
    }

    /// <summary>The run's report.html.</summary>
    public string ReportPath => Path.Combine(_output.Path, RunReport.FileName);

    /// <summary>The run's steps.csv (the loss curve's points).</summary>
    public string StepsPath => Path.Combine(_output.Path, StepLossCsv.FileName);

    /// <summary>The loss-curve points collected so far.</summary>
    public IReadOnlyList<StepLoss> Steps => _steps.Points;

    public override void Started(TrainingStart start)
    {
        _display.Started(start);
        _steps.Start(start, _job.Trainer.State, _earlierSteps);
        // A resumed run already has a trained model: show what it does from the first page on.
        if (_job.ResumedFrom is not null && _job.Trainer.History.Count > 0) Inspect();
        else CurrentFilters(); // the initial weights, or those of a resume inside the first epoch
        Write(inProgress: true);
    }

    public override void BatchDone(in BatchProgress progress)
    {
        _steps.Record(progress);
        _display.BatchDone(progress);
    }

    public override void Evaluating(int epoch) => _display.Evaluating(epoch);

    public override void EpochDone(EpochMetrics metrics)
    {
        _display.EpochDone(metrics);
        // The network now holds exactly the weights the trainer saves next.
        if (!Inspect()) return; // Ctrl+C: the trainer stops next, and Finish writes the report with what there is.
        Write(inProgress: metrics.Epoch < _job.Trainer.Settings.Epochs);
    }

    /// <summary>Runs the model over the test set for the report; false when cancelled. A failure is a warning: the report keeps what it had.</summary>
    private bool Inspect()
    {
        try
        {
            _insights = ModelInspector.Inspect(_job.Trainer.Network, _job.Data.Test, _job.Trainer.Settings.BatchSize, _cancellation);
            _currentFilters = null; // the inspection's filters are the current ones
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e)
        {
            _warnings.WriteLine($"cnn: warning: the model could not be inspected for the run report ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}).");
        }
        return true;
    }

    /// <summary>
    /// Writes the final steps.csv and report.html after <see cref="TrainingJob.Run"/> returned.
    /// A diverged run's report shows the model of its last good epoch, the one its checkpoint keeps.
    /// </summary>
    public void Finish(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Stopped inside an epoch: the checkpoint holds newer weights than the last inspection
        // (or there was none, in a first epoch); show its filters. Reading them is instant.
        if (result.Outcome == TrainingOutcome.Interrupted && result.State.Batch > 0) CurrentFilters();
        Write(inProgress: false);
    }

    /// <summary>Reads the first-layer filters of the weights as they are now (instant: no test set); a failure is a warning.</summary>
    private void CurrentFilters()
    {
        try
        {
            _currentFilters = ModelInspector.FirstLayerFilters(_job.Trainer.Network);
        }
        catch (Exception e)
        {
            _warnings.WriteLine($"cnn: warning: the first-layer filters could not be read for the run report ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}).");
        }
    }

    private void Write(bool inProgress)
    {
        var trainer = _job.Trainer;
        var inputs = new RunReportInputs
        {
            RunFolder = _output.Path,
            Info = _job.Info,
            Model = trainer.Network.Spec,
            Settings = trainer.Settings,
            Epochs = [.. trainer.History],
            Steps = [.. _steps.Points],
            ClassNames = _job.Data.Test.ClassNames,
            Insights = _insights,
            State = trainer.State,
            CurrentFilters = _currentFilters,
            CompareLink = RunComparison.LinkFrom(_output.Path),
            InProgress = inProgress,
            PlannedEpochs = trainer.Settings.Epochs,
        };
        try
        {
            StepLossCsv.Write(StepsPath, inputs.Steps);
            RunReport.Write(ReportPath, RunReportBuilder.Build(inputs, _clock()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _warnings.WriteLine($"cnn: warning: the run report was not updated: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>A resumed run continues the loss curve of the run it resumes (read from that run's folder).</summary>
    private IReadOnlyList<StepLoss> EarlierSteps(TrainingJob job)
    {
        if (job.ResumedFrom is not { } checkpoint) return [];
        string path = Path.Combine(Path.GetDirectoryName(checkpoint.Path)!, StepLossCsv.FileName);
        if (!File.Exists(path)) return [];
        try
        {
            return StepLossCsv.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetricsFormatException)
        {
            _warnings.WriteLine($"cnn: warning: the loss curve before the resume is not shown: {e.Message}");
            return [];
        }
    }
}
