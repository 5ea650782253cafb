namespace CnnNative.Core;

/// <summary>
/// A path given as an input file names a folder, a named pipe, a device or a socket. Thrown by
/// every CnnNative reader of user-named files (data, checkpoints, model files, images) before the file is opened, so a FIFO cannot block and a device
/// cannot stream forever. An <see cref="IOException"/>, so existing "cannot open" handling applies.
/// </summary>
public sealed class NotARegularFileException(string path, FileKind kind)
    : IOException($"'{path}' is {Describe(kind)}, not a regular file. {Advice(kind)}")
{
    /// <summary>What is wrong, without the path: "it is a named pipe (FIFO), not a regular file."</summary>
    public string Problem => $"it is {Describe(Kind)}, not a regular file.";

    /// <summary>What to do about it.</summary>
    public string Fix => Advice(Kind);

    /// <summary>The full path that was refused.</summary>
    public string Path { get; } = path;

    /// <summary>What the path names instead of a regular file.</summary>
    public FileKind Kind { get; } = kind;

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Folder => "a folder",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a special file",
    };

    private static string Advice(FileKind kind) => kind == FileKind.Folder
        ? "Give the path of a file inside it."
        : "cnn reads only regular files (a pipe can block forever and a device can stream without end); save the data to a file first.";
}
