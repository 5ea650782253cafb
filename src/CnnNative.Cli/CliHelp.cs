using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using CnnNative.Cli.Commands;

namespace CnnNative.Cli;

/// <summary>
/// `cnn … --help`: System.CommandLine's page, then an "Examples:" section with the command's
/// <see cref="CommandExample"/>s (its help builder is not public, so the examples follow the
/// page it writes rather than being a section of it).
/// </summary>
internal sealed class CliHelp(HelpAction help, IReadOnlyDictionary<Command, IReadOnlyList<CommandExample>> examples)
    : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        int code = help.Invoke(parseResult);
        if (examples.TryGetValue(parseResult.CommandResult.Command, out var list) && list.Count > 0)
            WriteExamples(parseResult.InvocationConfiguration.Output, list);
        return code;
    }

    private static void WriteExamples(TextWriter output, IReadOnlyList<CommandExample> list)
    {
        output.WriteLine("Examples:");
        foreach (var example in list)
        {
            output.WriteLine($"  {example.Purpose}:");
            output.WriteLine($"    {example.CommandLine}");
        }
        output.WriteLine();
    }
}
