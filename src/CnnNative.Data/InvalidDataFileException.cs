namespace CnnNative.Data;

/// <summary>
/// A data file or folder that cannot be used: missing, truncated, corrupt, or inconsistent
/// with its partner file. The message names the path, says exactly what is wrong and what to
/// do; <see cref="Problem"/> and <see cref="Fix"/> hold those parts separately.
/// </summary>
public sealed class InvalidDataFileException : Exception
{
    public InvalidDataFileException(string path, string problem, string fix, Exception? inner = null)
        : base($"{path}: {problem} {fix}".TrimEnd(), inner)
    {
        Path = path;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong, in one sentence.</summary>
    public string Problem { get; }

    /// <summary>What the user can do about it.</summary>
    public string Fix { get; }
}
