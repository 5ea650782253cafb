namespace CnnNative.Cli;

/// <summary>Process exit codes of `cnn`, the same for every command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed: bad data, a corrupt checkpoint, a provider that cannot start, an unwritable folder…</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown command or option, missing or unparsable value.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C (or SIGTERM) before finishing, 128 + SIGINT as shells report it.</summary>
    public const int Cancelled = 130;
}
