using CnnNative.Core;

namespace CnnNative.Cli.Report;

/// <summary>
/// The files `cnn filter` and `cnn report` write: the target is checked before any work (a
/// known extension, not a folder, in a folder that exists), and written atomically through
/// <see cref="AtomicFile"/>, so a failure leaves no half-written file. Every failure becomes
/// one sentence naming the file and the cause, without the temporary file's name.
/// </summary>
internal static class OutputFile
{
    /// <summary>The full path of <paramref name="path"/> after checking it; <paramref name="what"/> describes an acceptable name ("an image path ending in .png or .pgm").</summary>
    public static string Check(string path, IReadOnlyList<string> extensions, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string extension = Path.GetExtension(full);
        bool known = false;
        foreach (string e in extensions) known |= string.Equals(e, extension, StringComparison.OrdinalIgnoreCase);
        if (!known)
            throw new CliException($"The output '{path}' must be {what}.", ExitCodes.Usage);
        if (Directory.Exists(full))
            throw new CliException($"Cannot write '{full}': it is a folder; give a file path.");
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new CliException(File.Exists(folder)
                ? $"Cannot write '{full}': '{folder}' is a file, not a folder; choose another output path."
                : $"Cannot write '{full}': the folder '{folder}' does not exist; create it or choose another output path.");
        return full;
    }

    public static void WriteAllBytes(string full, ReadOnlySpan<byte> bytes)
    {
        try
        {
            AtomicFile.WriteAllBytes(full, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(full, e);
        }
    }

    public static void WriteAllText(string full, string text)
    {
        try
        {
            AtomicFile.WriteAllText(full, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(full, e);
        }
    }

    private static CliException Failed(string full, Exception e)
    {
        Exception cause = e;
        while (cause.InnerException is not null) cause = cause.InnerException;
        string reason = cause switch
        {
            UnauthorizedAccessException => "permission denied",
            FileNotFoundException or DirectoryNotFoundException => "the folder does not accept new files",
            _ => OsReason(cause.Message),
        };
        return new CliException($"Cannot write '{full}': {reason}; nothing was written, and an earlier file of that name is unchanged.", ExitCodes.Failure, e);
    }

    /// <summary>"Read-only file system : '/x/.tmp'" → "read-only file system".</summary>
    private static string OsReason(string message)
    {
        int cut = message.IndexOf(" : '", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" '", StringComparison.Ordinal);
        string reason = (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.');
        return reason.Length == 0 ? "the file system refused it" : char.ToLowerInvariant(reason[0]) + reason[1..];
    }
}
