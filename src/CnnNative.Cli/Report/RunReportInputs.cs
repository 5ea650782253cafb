using CnnNative.Nn;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// What a run folder (or a run in progress) says about itself, gathered for
/// <see cref="RunReportBuilder"/>: run.json, metrics.csv, steps.csv, the model and its class
/// names from the checkpoint, and — when the model was run on the test set — its
/// <see cref="ModelInsights"/>. Everything but the folder is optional.
/// </summary>
internal sealed record RunReportInputs
{
    /// <summary>The run folder (shown in the settings, and its name in the title when the model has none).</summary>
    public required string RunFolder { get; init; }

    /// <summary>run.json; null when it is missing (the checkpoint's settings are shown instead).</summary>
    public RunInfo? Info { get; init; }

    /// <summary>The model with its input shape and class count (from the checkpoint or the live network).</summary>
    public ModelSpec? Model { get; init; }

    /// <summary>Hyper-parameters, when run.json is missing (from the checkpoint).</summary>
    public TrainingSettings? Settings { get; init; }

    /// <summary>The finished epochs (metrics.csv, or the checkpoint's history), including those before any interruption or resume.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>The training loss over the iterations (steps.csv).</summary>
    public IReadOnlyList<StepLoss> Steps { get; init; } = [];

    /// <summary>Class names by label index.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>What the model does on the test set; null when it was not run (yet).</summary>
    public ModelInsights? Insights { get; init; }

    /// <summary>
    /// Where training stands (the checkpoint's <see cref="TrainingState"/>): a run interrupted inside
    /// an epoch has spent <see cref="TrainingState.EpochTrainSeconds"/> on it, which no finished
    /// epoch counts yet. Null when unknown.
    /// </summary>
    public TrainingState? State { get; init; }

    /// <summary>
    /// The first-layer filters of the weights the run holds now, when they are newer than
    /// <see cref="Insights"/>' (a run interrupted inside an epoch, or before its first one finished).
    /// </summary>
    public FilterBank? CurrentFilters { get; init; }

    /// <summary>The compare page that lists this run, relative to the report; null when there is none.</summary>
    public string? CompareLink { get; init; }

    /// <summary>True while training continues: the page reloads itself and says so.</summary>
    public bool InProgress { get; init; }

    /// <summary>Total epochs the run is set to train (for "epoch 2 of 5" while in progress).</summary>
    public int? PlannedEpochs { get; init; }
}
