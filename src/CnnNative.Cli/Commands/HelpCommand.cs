using System.CommandLine;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn help [COMMAND]`: the same page as <c>cnn COMMAND --help</c> (or <c>cnn --help</c>), for
/// those who type help first, as with git and dotnet.
/// </summary>
internal sealed class HelpCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("List the commands", "cnn help"),
        new("Show the options of cnn train (the same as cnn train --help)", "cnn help train"),
    ];

    /// <inheritdoc/>
    public Command Build(CliContext context)
    {
        var name = new Argument<string?>("COMMAND")
        {
            Description = "The command to explain; without it, the list of commands.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("help", "Show help for cnn or for one of its commands (the same as cnn COMMAND --help).") { name };
        command.SetAction(parse =>
        {
            Command root = parse.RootCommandResult.Command;
            string? asked = parse.GetValue(name);
            if (asked is not null && !root.Subcommands.Any(c => c.Name == asked))
                throw new CliException(
                    $"There is no command '{asked}'; the commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}.", ExitCodes.Usage);
            string[] args = asked is null ? ["--help"] : [asked, "--help"];
            return root.Parse(args).Invoke(parse.InvocationConfiguration);
        });
        return command;
    }
}
