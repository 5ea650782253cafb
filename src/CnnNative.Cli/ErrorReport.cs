using System.Reflection;

namespace CnnNative.Cli;

/// <summary>
/// Turns an exception escaping a command into what the user sees: one line on standard error
/// (the full exception with its stack trace only under --verbose) and an exit code.
/// </summary>
internal static class ErrorReport
{
    public static int Write(Exception exception, TextWriter error, bool verbose, CancellationToken cancellation)
    {
        Exception e = Unwrap(exception);
        if (e is OperationCanceledException && cancellation.IsCancellationRequested)
        {
            error.WriteLine("cnn: cancelled.");
            return ExitCodes.Cancelled;
        }

        if (verbose)
            error.WriteLine($"cnn: {e}");
        else
            error.WriteLine($"cnn: {OneLine(e.Message)}{Hint(e)}");
        return e is CliException cli ? cli.ExitCode : ExitCodes.Failure;
    }

    /// <summary>The exception that says what went wrong, not the wrapper a framework added.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerExceptions[0];
            else if (e is TargetInvocationException { InnerException: { } inner }) e = inner;
            else return e;
        }
    }

    private static string OneLine(string message)
    {
        string trimmed = message.Trim();
        int newline = trimmed.IndexOf('\n');
        return newline < 0 ? trimmed : trimmed[..newline].TrimEnd('\r', ' ') + " (the full message is shown with --verbose)";
    }

    /// <summary>
    /// Our own exceptions and I/O failures carry messages written for users; anything else is
    /// probably a bug, so name its type and point at --verbose for the stack trace.
    /// </summary>
    private static string Hint(Exception e)
    {
        bool forUsers = e is IOException or UnauthorizedAccessException
            || e.GetType().Namespace?.StartsWith("CnnNative", StringComparison.Ordinal) == true;
        return forUsers ? "" : $" ({e.GetType().Name}; run with --verbose for the stack trace)";
    }
}
