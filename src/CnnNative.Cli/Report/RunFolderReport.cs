using System.Text.Json;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// The report of a finished (or stopped) run, made from its folder alone — what
/// <c>cnn report RUN_DIR</c> does: the checkpoint's model and class names, run.json,
/// metrics.csv (or, without it, the metrics the checkpoint carries) and steps.csv when
/// present. <see cref="Open"/> reads and checks every file (so a bad folder fails before a
/// provider starts); <see cref="Inspect"/> loads the model on a provider and runs it over the
/// test set.
/// </summary>
internal sealed class RunFolderReport
{
    private readonly ModelCheckpoint _checkpoint;
    private readonly TrainingSettings _settings;
    private readonly Dataset _test;
    private readonly RunReportInputs _inputs;

    private RunFolderReport(ModelCheckpoint checkpoint, TrainingSettings settings, Dataset test, RunReportInputs inputs)
    {
        _checkpoint = checkpoint;
        _settings = settings;
        _test = test;
        _inputs = inputs;
    }

    /// <summary>Reads everything the report needs from <paramref name="runFolder"/>, including the test set.</summary>
    /// <param name="dataFolder">The MNIST-format folder whose test split to use; null uses the one run.json names.</param>
    public static RunFolderReport Open(string runFolder, string? dataFolder)
    {
        string folder = ExistingFolder(runFolder);
        string checkpointPath = Path.Combine(folder, ModelCheckpoint.FileName);
        if (!File.Exists(checkpointPath))
            throw new CliException($"'{folder}' is not a training run folder: it has no {ModelCheckpoint.FileName}; pass the folder `cnn train` printed after 'output:'.");

        var checkpoint = ModelCheckpoint.Open(checkpointPath);
        var training = TrainingCheckpoint.Read(checkpoint);
        RunInfo? info = ReadRunInfo(folder);
        string metricsPath = Path.Combine(folder, MetricsCsv.FileName);
        IReadOnlyList<EpochMetrics> epochs = File.Exists(metricsPath) ? MetricsCsv.Read(metricsPath) : training.History;
        string stepsPath = Path.Combine(folder, StepLossCsv.FileName);
        IReadOnlyList<StepLoss> steps = File.Exists(stepsPath) ? StepLossCsv.Read(stepsPath) : [];

        Dataset test = DatasetLoader.Load(dataFolder ?? info?.Data.Folder, DataSplit.Test, checkpoint.Metadata.ClassNames,
            CnnNative.Data.ImageFolders.ImageFolderInput.Of(checkpoint.Metadata.Model.Input!), seed: training.Settings.Seed)
            .Preprocessed(checkpoint.Metadata.Preprocessing);
        return new RunFolderReport(checkpoint, training.Settings, test, new RunReportInputs
        {
            RunFolder = folder,
            Info = info,
            Model = checkpoint.Metadata.Model,
            Settings = training.Settings,
            Epochs = epochs,
            Steps = steps,
            ClassNames = checkpoint.Metadata.ClassNames,
            State = training.State,
            CompareLink = RunComparison.LinkFrom(folder),
        });
    }

    /// <summary>The full path of <paramref name="runFolder"/>; a <see cref="CliException"/> saying what to pass when it is missing or a file.</summary>
    internal static string ExistingFolder(string runFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(runFolder);
        string folder = Path.GetFullPath(runFolder);
        if (!Directory.Exists(folder))
            throw new CliException(File.Exists(folder)
                ? $"'{folder}' is a file; pass the run folder that holds it (the folder `cnn train` printed after 'output:')."
                : $"The run folder '{folder}' does not exist; pass the folder `cnn train` printed after 'output:'.");
        return folder;
    }

    /// <summary>Loads the checkpoint's model on <paramref name="provider"/>, runs it over the test set and returns the report's inputs.</summary>
    public RunReportInputs Inspect(IComputeProvider provider, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        using var network = _checkpoint.LoadNetwork(provider);
        int batchSize = _settings.BatchSize > 0 ? _settings.BatchSize : TrainingSettings.DefaultBatchSize;
        return _inputs with { Insights = ModelInspector.Inspect(network, _test, batchSize, cancellation) };
    }

    /// <summary>
    /// The run.json of <paramref name="folder"/>, or null when there is none; a malformed one is a
    /// <see cref="CliException"/> saying what to do. A run that says "running" while nobody holds
    /// its folder was killed: taking the folder for a moment rewrites run.json to say
    /// "interrupted" (and clears its temporary files), and that is what is returned.
    /// </summary>
    internal static RunInfo? ReadRunInfo(string folder)
    {
        string path = Path.Combine(folder, RunFolder.RunInfoFileName);
        RunInfo? info = ReadRunInfoFile(path);
        if (info?.Status == RunInfo.Running)
        {
            using var taken = RunFolderLock.TryAcquire(folder);
            if (taken?.MarkedInterrupted == true) info = ReadRunInfoFile(path);
        }
        return info;
    }

    private static RunInfo? ReadRunInfoFile(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return RunInfo.FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new CliException($"{path} is not a valid run description (a JSON error{where}); delete it to make the report from the checkpoint alone.", ExitCodes.Failure, e);
        }
    }
}
