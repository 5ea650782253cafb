using System.Text;

namespace CnnNative.Core;

/// <summary>
/// Replaces a file all at once: the new contents go to a temporary file in the same folder,
/// are flushed to the disk, and the temporary file is then renamed over the target. A rename
/// within one file system is atomic, so a reader (or a crash, a full disk, Ctrl+C) sees
/// either the old file intact or the new one complete — never half of each. Used for
/// checkpoints, metrics.csv and run.json.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        string full = Prepare(path);
        string temp = CreateTemp(full, out FileStream stream);
        try
        {
            using (stream)
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            Commit(temp, full);
        }
        catch (Exception e)
        {
            DeleteQuietly(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new IOException($"Cannot write '{full}': {e.Message} The previous file, if any, is unchanged.", e);
            throw;
        }
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="text"/> in UTF-8 (no BOM).</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, Utf8NoBom.GetBytes(text));
    }

    /// <summary>
    /// Atomically replaces <paramref name="path"/> with what <paramref name="write"/> writes to
    /// the stream it is given (for large files written piece by piece). If the callback throws,
    /// the target is untouched and the temporary file is removed.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Prepare(path);
        string temp = CreateTemp(full, out FileStream stream);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Commit(temp, full);
        }
        catch (Exception e)
        {
            DeleteQuietly(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new IOException($"Cannot write '{full}': {e.Message} The previous file, if any, is unchanged.", e);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files that writers killed mid-write (kill -9, power loss) left in
    /// <paramref name="folder"/>: names of the form <c>.NAME.PID.HEX.tmp</c> whose process is
    /// no longer running. A live writer's file is left alone. Returns the paths removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveAbandoned(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var removed = new List<string>();
        if (!Directory.Exists(folder)) return removed;
        foreach (string path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            string[] parts = Path.GetFileName(path).Split('.');
            // "", NAME…, PID, HEX, "tmp": the writer's process id is third from the end.
            if (parts.Length < 5 || !int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                || parts[^2].Length != 8 || IsRunning(pid))
                continue;
            try
            {
                File.Delete(path);
                removed.Add(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to remove after all (permissions): leave it.
            }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"Cannot write '{full}': it is a folder. Give a file path.");
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
            throw new IOException($"Cannot write '{full}': the folder '{folder}' does not exist. Create it or choose another output path.");
        return full;
    }

    private static string CreateTemp(string full, out FileStream stream)
    {
        // Same folder as the target so the rename never crosses file systems (which would copy).
        string folder = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        for (int attempt = 0; ; attempt++)
        {
            string temp = Path.Combine(folder, $".{name}.{Environment.ProcessId}.{Random.Shared.Next():x8}.tmp");
            try
            {
                stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                return temp;
            }
            catch (IOException) when (attempt < 8 && File.Exists(temp))
            {
                // Name collision with another writer: pick another random name.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Cannot write '{full}': {e.Message} Check that the folder is writable and the disk is not full.", e);
            }
        }
    }

    private static void Commit(string temp, string full) => File.Move(temp, full, overwrite: true);

    private static void DeleteQuietly(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is left behind; the target is intact either way.
        }
    }
}
