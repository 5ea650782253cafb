using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// What the compare page shows of one run, read from its folder alone — run.json, metrics.csv
/// and the checkpoint's header (settings, where training stands, the epochs it carries) — without
/// loading weights or data, so comparing many runs is quick.
/// </summary>
internal sealed record RunSummary
{
    /// <summary>The run folder, a full path.</summary>
    public required string Folder { get; init; }

    /// <summary>run.json; null when the folder has none.</summary>
    public RunInfo? Info { get; init; }

    /// <summary>The model's name (its preset, or the name in its JSON file).</summary>
    public required string ModelName { get; init; }

    /// <summary>Hyper-parameters, from run.json or else the checkpoint; null when neither is there.</summary>
    public TrainingSettings? Settings { get; init; }

    /// <summary>Where training stands, from the checkpoint; null without one.</summary>
    public TrainingState? State { get; init; }

    /// <summary>The finished epochs (metrics.csv, or the checkpoint's history).</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>The folder's name, how the compare page labels the run.</summary>
    public string Name => Path.GetFileName(Folder.TrimEnd('/', '\\'));

    /// <summary>True when the folder holds a checkpoint or a metrics.csv, the marks of a training run.</summary>
    public static bool IsRunFolder(string folder) =>
        File.Exists(Path.Combine(folder, ModelCheckpoint.FileName)) || File.Exists(Path.Combine(folder, MetricsCsv.FileName));

    /// <summary>True when <paramref name="folder"/> is not a run itself but has run folders directly inside (a runs folder).</summary>
    public static bool HoldsRuns(string folder) =>
        Directory.Exists(folder) && !IsRunFolder(folder) && Directory.EnumerateDirectories(folder).Any(IsRunFolder);

    /// <summary>Reads <paramref name="runFolder"/>; a folder that is not a run, or a malformed file, is a <see cref="CliException"/> naming it.</summary>
    public static RunSummary Read(string runFolder)
    {
        string folder = RunFolderReport.ExistingFolder(runFolder);
        if (!IsRunFolder(folder))
            throw new CliException($"'{folder}' is not a training run folder: it has neither {ModelCheckpoint.FileName} nor {MetricsCsv.FileName}.");

        RunInfo? info = RunFolderReport.ReadRunInfo(folder);
        TrainingCheckpoint? training = null;
        string? checkpointModel = null;
        string checkpointPath = Path.Combine(folder, ModelCheckpoint.FileName);
        if (File.Exists(checkpointPath))
        {
            var checkpoint = ModelCheckpoint.Open(checkpointPath);
            training = TrainingCheckpoint.Read(checkpoint);
            checkpointModel = checkpoint.Metadata.Model.Name;
        }
        string metricsPath = Path.Combine(folder, MetricsCsv.FileName);
        IReadOnlyList<EpochMetrics> epochs = File.Exists(metricsPath) ? MetricsCsv.Read(metricsPath) : training?.History ?? [];
        return new RunSummary
        {
            Folder = folder,
            Info = info,
            ModelName = info?.ModelName ?? checkpointModel ?? "model",
            Settings = info?.Hyperparameters ?? training?.Settings,
            State = training?.State,
            Epochs = epochs,
        };
    }

    /// <summary>
    /// The run folders <paramref name="paths"/> name: each path that is a run folder, and for a
    /// path that is not, the run folders directly inside it (a runs folder), in name order.
    /// Throws a <see cref="CliException"/> when a path exists but holds no run at all.
    /// </summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var folders = new List<string>();
        foreach (string path in paths)
        {
            string full = Path.GetFullPath(path);
            if (!Directory.Exists(full) || IsRunFolder(full))
            {
                folders.Add(full); // Read explains what is wrong with it
                continue;
            }
            var inside = Directory.GetDirectories(full).Where(IsRunFolder).Order(StringComparer.Ordinal).ToList();
            if (inside.Count == 0)
                throw new CliException($"'{full}' is neither a training run folder nor a folder of runs: no {ModelCheckpoint.FileName} or {MetricsCsv.FileName} in it or in its subfolders.");
            folders.AddRange(inside);
        }
        return folders.Distinct(StringComparer.Ordinal).ToList();
    }
}
