using System.Text.Json;
using CnnNative.Core;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// Exclusive ownership of a run folder by one training process, so two <c>cnn train</c> (or
/// two <c>--resume</c>) on one folder cannot both write it and lose a run. The lock is the file
/// <see cref="FileName"/> held open without sharing: .NET takes an OS lock for that
/// (<c>flock(LOCK_EX | LOCK_NB)</c> on Linux and macOS, a share mode on Windows), which the OS
/// releases when the process ends however it ends. A lock file that is still there but not
/// locked was left by a killed process: it is taken over.
/// <para>Whoever takes the folder also repairs what a killed run left: temporary files of
/// interrupted atomic writes are removed, and a run.json still saying "running" is rewritten
/// to say "interrupted".</para>
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the run folder.</summary>
    public const string FileName = ".cnn-run.lock";

    private readonly FileStream _stream;

    private RunFolderLock(string folder, FileStream stream, bool tookOverStaleLock, IReadOnlyList<string> removedTemporaries, bool markedInterrupted)
    {
        Folder = folder;
        _stream = stream;
        TookOverStaleLock = tookOverStaleLock;
        RemovedTemporaries = removedTemporaries;
        MarkedInterrupted = markedInterrupted;
    }

    /// <summary>The run folder this lock holds (full path).</summary>
    public string Folder { get; }

    /// <summary>True when a lock file of a process that no longer runs was found and taken over.</summary>
    public bool TookOverStaleLock { get; }

    /// <summary>Temporary files of interrupted writes that were removed.</summary>
    public IReadOnlyList<string> RemovedTemporaries { get; }

    /// <summary>True when run.json said "running" for a run that was no longer running and now says "interrupted".</summary>
    public bool MarkedInterrupted { get; }

    /// <summary>
    /// Takes <paramref name="folder"/> (which must exist) for this process, or throws
    /// <see cref="TrainingSetupException"/> when another process holds it.
    /// </summary>
    public static RunFolderLock Acquire(string folder)
    {
        var taken = TryAcquire(folder);
        return taken ?? throw new TrainingSetupException(
            $"The run folder '{folder}' is in use by another training process (it holds {FileName}). Wait for that run to finish, or choose another --output.");
    }

    /// <summary>As <see cref="Acquire"/>, but null when another process holds the folder.</summary>
    public static RunFolderLock? TryAcquire(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        string path = Path.Combine(full, FileName);
        bool stale = File.Exists(path);
        FileStream stream;
        try
        {
            // DeleteOnClose: a clean exit removes the file; only a killed process leaves one.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 256, FileOptions.DeleteOnClose);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            stream.Flush();
            var removed = AtomicFile.RemoveAbandoned(full);
            bool marked = MarkInterrupted(full);
            return new RunFolderLock(full, stream, stale, removed, marked);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// run.json says "running" but we hold the folder, so that run's process is gone (killed,
    /// crashed, out of power): say so. An unreadable run.json is left for the report to explain.
    /// </summary>
    private static bool MarkInterrupted(string folder)
    {
        string path = Path.Combine(folder, RunFolder.RunInfoFileName);
        if (!File.Exists(path)) return false;
        RunInfo info;
        try
        {
            info = RunInfo.FromJson(RegularFile.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (info.Status != RunInfo.Running) return false;
        var interrupted = info with
        {
            Status = "interrupted",
            Message = "The training process stopped without finishing (killed or crashed); the checkpoint holds the last epoch it saved, and --resume continues from there.",
        };
        AtomicFile.WriteAllText(path, interrupted.ToJson());
        return true;
    }

    /// <summary>
    /// Creates <paramref name="folder"/> if needed and takes it; <see cref="Abandon"/> then
    /// removes a folder this call created, so a run that fails to start leaves nothing behind.
    /// </summary>
    public static RunFolderLock CreateAndAcquire(string folder)
    {
        string full = Path.GetFullPath(folder);
        bool created = !Directory.Exists(full);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrainingSetupException($"The output folder '{full}' cannot be written (it cannot be created: {e.Message.TrimEnd('.')}); choose a writable --output.", e);
        }
        try
        {
            var taken = Acquire(full);
            taken._createdFolder = created;
            return taken;
        }
        catch
        {
            if (created) DeleteIfEmpty(full);
            throw;
        }
    }

    private bool _createdFolder;

    /// <summary>Releases the folder after a failed start, deleting it when <see cref="CreateAndAcquire"/> created it and nothing else was written.</summary>
    public void Abandon()
    {
        Dispose();
        if (_createdFolder) DeleteIfEmpty(Folder);
    }

    private static void DeleteIfEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Someone else is using it now; leave it.
        }
    }

    /// <summary>Releases the folder (the lock file is deleted as it closes).</summary>
    public void Dispose() => _stream.Dispose();
}
