namespace CnnNative.Cli;

/// <summary>
/// A failure a command reports to the user as one line (no stack trace): a bad option value,
/// an unreadable settings file. <see cref="ExitCode"/> is <see cref="ExitCodes.Usage"/> for
/// command-line mistakes and <see cref="ExitCodes.Failure"/> otherwise.
/// </summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
