using System.CommandLine;

namespace CnnNative.Cli;

/// <summary>
/// An empty or blank value for a path or name (<c>--checkpoint ""</c>, <c>--provider ""</c>, an
/// empty image argument) is a usage mistake for every command: refused while parsing, with the
/// option's name, instead of surfacing later as a library's argument check or a silent default.
/// </summary>
internal static class NonEmptyValues
{
    public static void AddTo(Command command)
    {
        foreach (Option option in command.Options)
            if (option.ValueType == typeof(string) || option.ValueType == typeof(string[]))
                option.Validators.Add(result =>
                {
                    foreach (var token in result.Tokens)
                        if (string.IsNullOrWhiteSpace(token.Value))
                            result.AddError($"{option.Name} was given an empty value; give a name or a path, or leave the option out.");
                });
        foreach (Argument argument in command.Arguments)
            if (argument.ValueType == typeof(string) || argument.ValueType == typeof(string[]))
                argument.Validators.Add(result =>
                {
                    foreach (var token in result.Tokens)
                        if (string.IsNullOrWhiteSpace(token.Value))
                            result.AddError($"{argument.Name} was given an empty value; give a path.");
                });
        foreach (Command sub in command.Subcommands) AddTo(sub);
    }
}
