using System.Globalization;
using CnnNative.Core;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Nn;

namespace CnnNative.Training;

/// <summary>
/// The folder one training run writes:
/// <list type="bullet">
/// <item><c>model.safetensors</c> — weights, batch-norm statistics, optimizer state and
/// <see cref="CheckpointMetadata"/>; the trainer rewrites it after every epoch and on Ctrl+C
/// (<see cref="Trainer.CheckpointPath"/>).</item>
/// <item><c>metrics.csv</c> — one row per finished epoch (<see cref="MetricsCsv"/>).</item>
/// <item><c>run.json</c> — the resolved settings, provider, data files and times (<see cref="RunInfo"/>).</item>
/// </list>
/// Every file is replaced atomically, so a crash or Ctrl+C at any moment leaves each file
/// either as it was or complete.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The run description's name in a run folder: "run.json".</summary>
    public const string RunInfoFileName = "run.json";

    private RunFolder(string path) => Path = path;

    /// <summary>Full path of the folder.</summary>
    public string Path { get; }

    /// <summary>model.safetensors: the last epoch's checkpoint (or, with <c>--keep best</c> after the run, the best).</summary>
    public string CheckpointPath => System.IO.Path.Combine(Path, ModelCheckpoint.FileName);

    /// <summary>best.safetensors: the best epoch's checkpoint, with <c>--keep best</c> or <c>both</c>.</summary>
    public string BestCheckpointPath => System.IO.Path.Combine(Path, KeepBestCheckpoint.FileName);

    /// <summary>metrics.csv: one row per finished epoch (<see cref="MetricsCsv"/>).</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, MetricsCsv.FileName);

    /// <summary>run.json: the run's settings, provider, data and outcome (<see cref="RunInfo"/>).</summary>
    public string RunInfoPath => System.IO.Path.Combine(Path, RunInfoFileName);

    /// <summary>The folder new runs go to by default, relative to the working folder.</summary>
    public const string DefaultRoot = "runs";

    /// <summary><c>runs/&lt;model&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> (local time), relative to the working folder.</summary>
    public static string DefaultPath(string modelName, DateTimeOffset now) =>
        System.IO.Path.Combine(DefaultRoot, $"{Sanitize(modelName)}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    /// <summary>
    /// The model.safetensors of the run in <paramref name="root"/> (a folder of run folders,
    /// such as <see cref="DefaultRoot"/>) that was written last, or null when none holds one.
    /// Last written, not last started: a run resumed today is newer than one started after it.
    /// </summary>
    public static string? NewestCheckpoint(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) return null;
        return Directory.EnumerateDirectories(root)
            .Select(run => new FileInfo(System.IO.Path.Combine(run, ModelCheckpoint.FileName)))
            .Where(file => file.Exists)
            .OrderByDescending(file => file.LastWriteTimeUtc)
            .ThenBy(file => file.FullName, StringComparer.Ordinal)
            .Select(file => System.IO.Path.Combine(root, file.Directory!.Name, file.Name))
            .FirstOrDefault();
    }

    /// <summary>
    /// Checks <paramref name="path"/> without creating or writing anything: it must not be a
    /// file, and unless <paramref name="allowExistingRun"/> (resuming into it) it must not
    /// already hold a run's checkpoint or metrics, which a new run would overwrite.
    /// </summary>
    public static string Check(string path, bool allowExistingRun)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new TrainingSetupException($"The output folder '{path}' is not a valid path ({e.Message}); choose another --output.", e);
        }
        if (File.Exists(full))
            throw new TrainingSetupException($"The output folder '{full}' is a file; choose a folder for --output.");
        if (!allowExistingRun && Directory.Exists(full)
            && (File.Exists(System.IO.Path.Combine(full, ModelCheckpoint.FileName)) || File.Exists(System.IO.Path.Combine(full, MetricsCsv.FileName))))
            throw new TrainingSetupException(
                $"The output folder '{full}' already holds a training run; choose another --output, or continue it with --resume {System.IO.Path.Combine(full, ModelCheckpoint.FileName)}.");
        return full;
    }

    /// <summary>
    /// <see cref="Check"/>s the folder, creates it and proves it writable by writing
    /// <paramref name="info"/> as run.json. Any failure is one <see cref="TrainingSetupException"/>
    /// sentence, raised before training starts.
    /// </summary>
    public static RunFolder Create(string path, bool allowExistingRun, RunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        string full = Check(path, allowExistingRun);
        var folder = new RunFolder(full);
        try
        {
            Directory.CreateDirectory(full);
            folder.WriteRunInfo(info);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrainingSetupException($"The output folder '{full}' cannot be written ({Reason(e)}); choose a writable --output.", e);
        }
        return folder;
    }

    /// <summary>An existing run folder, for tools that read it.</summary>
    public static RunFolder Open(string path) => new(System.IO.Path.GetFullPath(path));

    /// <summary>Replaces run.json atomically with <paramref name="info"/>; an I/O failure leaves the old file.</summary>
    public void WriteRunInfo(RunInfo info) => AtomicFile.WriteAllText(RunInfoPath, info.ToJson());

    /// <summary>Replaces metrics.csv atomically with a header and one line per row of <paramref name="rows"/>.</summary>
    public void WriteMetrics(IEnumerable<EpochMetrics> rows) => MetricsCsv.Write(MetricsPath, rows);

    private static string Reason(Exception e)
    {
        string message = e.Message.TrimEnd('.');
        // AtomicFile already names the file; keep only the cause.
        return message.Length > 200 ? message[..200] + "…" : message;
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.')) chars[i] = '_';
        return chars.Length == 0 ? "model" : new string(chars);
    }

    /// <summary>The folder's full path.</summary>
    public override string ToString() => Path;
}
