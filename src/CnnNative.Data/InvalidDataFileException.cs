namespace CnnNative.Data;

/// <summary>
/// A data file or folder that cannot be used: missing, truncated, corrupt, or inconsistent
/// with its partner file. The message names the path, says exactly what is wrong and what to
/// do; <see cref="Problem"/> and <see cref="Fix"/> hold those parts separately.
/// </summary>
public sealed class InvalidDataFileException : Exception
{
    /// <summary>The message is "{path}: {problem} {fix}".</summary>
    /// <param name="path">The file or folder at fault.</param>
    /// <param name="problem">What is wrong, in one sentence.</param>
    /// <param name="fix">What to do about it; may be empty.</param>
    /// <param name="inner">The I/O or format failure behind it, if any.</param>
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
