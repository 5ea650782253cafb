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

    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    public IReadOnlyList<StepLoss> Steps { get; init; } = [];

    public IReadOnlyList<string> ClassNames { get; init; } = [];

    public ModelInsights? Insights { get; init; }

    /// <summary>True while training continues: the page reloads itself and says so.</summary>
    public bool InProgress { get; init; }

    /// <summary>Total epochs the run is set to train (for "epoch 2 of 5" while in progress).</summary>
    public int? PlannedEpochs { get; init; }
}
