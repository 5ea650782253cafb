namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// A checkpoint that cannot be read or does not fit: truncated, corrupt header, unsupported
/// dtype, offsets out of range, or (raised by the model loader) tensors that do not match the
/// model. The message names the file, says what is wrong and what to do.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>The message is "Checkpoint '{path}': {problem} {fix}".</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problem">What is wrong, in one sentence.</param>
    /// <param name="fix">What to do about it; may be empty.</param>
    /// <param name="inner">The I/O or parse failure behind it, if any.</param>
    public CheckpointException(string path, string problem, string fix, Exception? inner = null)
        : base($"Checkpoint '{path}': {problem} {fix}".TrimEnd(), inner)
    {
        Path = path;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, in one sentence.</summary>
    public string Problem { get; }

    /// <summary>What the user can do about it.</summary>
    public string Fix { get; }
}
