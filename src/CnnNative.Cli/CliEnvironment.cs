using CnnNative.Core;
using CnnNative.Hosting;

namespace CnnNative.Cli;

/// <summary>
/// What the outside world gives one run of `cnn`: where output goes, the environment
/// variables, the folder holding appsettings.json, and the built-in providers. The real
/// process uses <see cref="FromProcess"/>; tests replace any part to run the app in-process.
/// </summary>
internal sealed record CliEnvironment
{
    /// <summary>Standard output: results, tables, help.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: the one-line error messages.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when <see cref="Out"/> is a terminal: tables and progress bars instead of plain lines.</summary>
    public bool Interactive { get; init; }

    /// <summary>
    /// Environment variables to read <c>CNN_</c> settings from; null reads the process
    /// environment (tests pass a dictionary so they never touch the real one).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    /// <summary>Folder holding appsettings.json; the executable's folder by default.</summary>
    public string BaseDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>
    /// The folder of run folders: where <c>cnn predict</c> looks for the newest run without
    /// --checkpoint. <c>runs</c> in the working folder, where <c>cnn train</c> writes by default.
    /// </summary>
    public string RunsFolder { get; init; } = CnnNative.Training.RunFolder.DefaultRoot;

    /// <summary>Registers the providers compiled into the tool (the catalogue's built-ins); tests substitute their own.</summary>
    public Action<ProviderRegistry> RegisterProviders { get; init; } = registry => registry.AddBuiltInProviders();

    /// <summary>The console of this process.</summary>
    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        // Under mpirun, Open MPI hands each rank a pseudo-terminal and forwards it: a live bar
        // would be redrawn through that relay into logs, so MPI runs print plain lines.
        Interactive = !Console.IsOutputRedirected && !CnnNative.Distributed.Communicators.LaunchedByMpi(),
    };
}
