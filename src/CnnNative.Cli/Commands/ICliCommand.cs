using System.CommandLine;

namespace CnnNative.Cli.Commands;

/// <summary>
/// One `cnn` sub-command, in its own file under Commands/ and listed once in
/// <see cref="CommandCatalog"/>. <see cref="Build"/> creates the System.CommandLine
/// <see cref="Command"/> with a description for --help, its options, and an action that
/// returns an exit code. The action gets the parsed values from its <see cref="ParseResult"/>
/// and everything else from the <see cref="CliContext"/>: writers, Spectre console,
/// cancellation token, configuration and <see cref="CliContext.CreateProvider"/>.
/// Actions just throw on failure: the app prints the exception as one line (the stack
/// trace only with --verbose) and exits non-zero; <see cref="CliException"/> picks the code.
/// </summary>
internal interface ICliCommand
{
    /// <summary>Creates the command with its options and action.</summary>
    Command Build(CliContext context);

    /// <summary>The examples --help ends with (at least one; each a command line that parses).</summary>
    IReadOnlyList<CommandExample> Examples { get; }
}
