using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using CnnNative.Cli.Commands;
using CnnNative.Core;

namespace CnnNative.Cli;

/// <summary>
/// The `cnn` tool: builds the command tree from <see cref="CommandCatalog"/>, parses, runs the
/// chosen command, and turns every failure into one line on standard error and a non-zero
/// exit code. Everything it touches comes from a <see cref="CliEnvironment"/>, so tests run
/// it in-process with captured output.
/// </summary>
internal static class CliApp
{
    /// <summary>The tool's name in usage lines and error hints.</summary>
    public const string Name = "cnn";

    public const string Description =
        "cnn: train and run convolutional neural networks on interchangeable compute providers (managed SIMD, OpenBLAS, OpenCL).";

    /// <summary>What `cnn --help` ends with: the first commands a new user runs.</summary>
    internal static IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Train simple-conv on Fashion-MNIST and write a run folder under runs/", "cnn train"),
        new("Classify an image with the newest run's model", "cnn predict shirt.png"),
        new("See which compute providers run on this machine", "cnn providers"),
        new("Show the options and examples of one command", "cnn help train"),
    ];

    /// <summary>Runs with captured writers, the process environment variables and no cancellation.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error) =>
        Run(args, new CliEnvironment { Out = output, Error = error }, CancellationToken.None);

    public static int Run(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken) =>
        RunAsync(args, environment, cancellationToken).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var globalOptions = new GlobalOptions();
        var context = new CliContext(environment, globalOptions, cancellationToken);
        Command root = BuildRoot(context, globalOptions);

        var invocation = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false, // failures are reported by ErrorReport, one line each
            ProcessTerminationTimeout = null,      // Program owns Ctrl+C and passes the token in
        };

        if (args.Count == 0)
        {
            // A bare `cnn` is a usage mistake, but the most helpful answer is the command list.
            await root.Parse(["--help"]).InvokeAsync(invocation, cancellationToken);
            return ExitCodes.Usage;
        }

        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            string command = parse.CommandResult.Command == root ? Name : $"{Name} {parse.CommandResult.Command.Name}";
            environment.Error.WriteLine($"cnn: {FriendlyTypeNames.Rewrite(FirstError(parse))} See '{command} --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReport.Write(e, environment.Error, parse.GetValue(globalOptions.Verbose), cancellationToken);
        }
    }

    /// <summary>The whole command tree as a run would build it (tests walk it to check every command's help).</summary>
    internal static Command CreateCommandTree(CliEnvironment environment)
    {
        var globalOptions = new GlobalOptions();
        return BuildRoot(new CliContext(environment, globalOptions, CancellationToken.None), globalOptions);
    }

    /// <summary>
    /// The error that names what the user typed: "Unrecognized command or argument 'trian'"
    /// says more than the "Required command was not provided" reported alongside it.
    /// </summary>
    private static string FirstError(ParseResult parse)
    {
        foreach (var error in parse.Errors)
            if (parse.UnmatchedTokens.Count == 0 || parse.UnmatchedTokens.Any(t => error.Message.Contains(t, StringComparison.Ordinal)))
                return error.Message;
        return parse.Errors[0].Message;
    }

    /// <summary>
    /// A plain <see cref="Command"/> named "cnn" rather than a <see cref="RootCommand"/>, which
    /// names itself after the host process ("testhost" under a test runner, "dotnet" …).
    /// </summary>
    private static Command BuildRoot(CliContext context, GlobalOptions globalOptions)
    {
        var root = new Command(Name, Description)
        {
            new HelpOption(),
            new VersionOption(),
        };
        globalOptions.AddTo(root);
        var examples = new Dictionary<Command, IReadOnlyList<CommandExample>> { [root] = Examples };
        foreach (ICliCommand command in CommandCatalog.All)
        {
            Command built = command.Build(context);
            root.Subcommands.Add(built);
            examples[built] = command.Examples;
        }
        NonEmptyValues.AddTo(root);

        foreach (Option option in root.Options)
            if (option is HelpOption { Action: HelpAction help } helpOption)
            {
                // Help goes to a pipe or a test writer as often as to a terminal: give it a fixed
                // width there instead of asking a console that is not attached.
                if (!context.Interactive) help.MaxWidth = 100;
                helpOption.Action = new CliHelp(help, examples);
            }
        return root;
    }
}
