using System.CommandLine;
using System.Text.RegularExpressions;
using CnnNative.Cli;
using CnnNative.Cli.Commands;

namespace CnnNative.Tests.Cli;

/// <summary>What `cnn` says about itself: help pages with examples, each default once, `cnn help`, and parse errors in words.</summary>
public sealed partial class CliHelpTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static Command Tree() => CliApp.CreateCommandTree(new CliEnvironment { Out = TextWriter.Null, Error = TextWriter.Null });

    public static TheoryData<string> Commands() => [.. Tree().Subcommands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_help_ends_with_examples_that_parse_as_that_command(string name)
    {
        CliResult help = _cli.Run(name, "--help");

        Assert.Equal(ExitCodes.Success, help.Exit);
        string examples = help.Out[(help.Out.IndexOf("\nExamples:\n", StringComparison.Ordinal) + 1)..];
        Assert.StartsWith("Examples:", examples);
        var lines = ExampleLine().Matches(examples).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(lines);
        Command root = Tree();
        foreach (string line in lines)
        {
            Assert.StartsWith($"cnn {name}", line);
            ParseResult parse = root.Parse(line.Split(' ')[1..]);
            Assert.True(parse.Errors.Count == 0, $"'{line}': {string.Join(" ", parse.Errors.Select(e => e.Message))}");
            Assert.Equal(name, parse.CommandResult.Command.Name);
        }
    }

    [Fact]
    public void The_tool_help_has_examples_too()
    {
        CliResult help = _cli.Run("--help");

        Assert.Contains("\nExamples:\n", help.Out);
        Assert.Contains("    cnn train\n", help.Out);
        Assert.Contains("  help ", help.Out); // `cnn help` is listed with the commands
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Each_default_is_stated_once(string name)
    {
        CliResult help = _cli.Run(name, "--help");

        // Options are entries starting "  -"; their wrapped lines are indented further.
        int start = help.Out.IndexOf("\nOptions:\n", StringComparison.Ordinal);
        int end = help.Out.IndexOf("\nExamples:\n", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, help.Out);
        // An option whose default System.CommandLine prints ("[default: 3]") must not say it in words as well.
        foreach (string entry in Regex.Split(help.Out[start..end], @"\n(?=  -)").Where(e => e.Contains("[default:", StringComparison.Ordinal)))
        {
            int defaults = Regex.Matches(entry, "default", RegexOptions.IgnoreCase).Count;
            Assert.True(defaults == 1, $"cnn {name}: the default is stated {defaults} times in: {entry}");
        }
    }

    [Fact]
    public void Options_with_a_default_value_do_not_repeat_it_in_words()
    {
        foreach (Option option in AllOptions(Tree()).Where(o => o.HasDefaultValue))
            Assert.False(option.Description?.Contains("default", StringComparison.OrdinalIgnoreCase) ?? false,
                $"{option.Name} shows [default: …] and says its default again: {option.Description}");
    }

    private static IEnumerable<Option> AllOptions(Command command) => command.Options.Concat(command.Subcommands.SelectMany(AllOptions));

    [Theory]
    [MemberData(nameof(Commands))]
    public void Cnn_help_command_prints_the_same_page_as_command_help(string name)
    {
        CliResult viaHelp = _cli.Run("help", name);
        CliResult viaOption = _cli.Run(name, "--help");

        Assert.Equal(ExitCodes.Success, viaHelp.Exit);
        Assert.Equal(viaOption.Out, viaHelp.Out);
        Assert.Equal("", viaHelp.Err);
    }

    [Fact]
    public void Cnn_help_alone_is_the_tool_help_and_an_unknown_command_lists_the_real_ones()
    {
        Assert.Equal(_cli.Run("--help").Out, _cli.Run("help").Out);

        CliAssert.FailedWithOneSentence(_cli.Run("help", "trian"), "There is no command 'trian'; the commands are train, eval, predict", ExitCodes.Usage);
    }

    [Theory]
    [InlineData("train --lr abc", "Cannot parse argument 'abc' for option '--lr' as a number (such as 0.01).")]
    [InlineData("train --epochs 1.5", "Cannot parse argument '1.5' for option '--epochs' as a whole number.")]
    [InlineData("train --label-smoothing lots", "Cannot parse argument 'lots' for option '--label-smoothing' as a number (such as 0.01).")]
    [InlineData("train --seed -1", "Cannot parse argument '-1' for option '--seed' as a whole number of at least 0.")]
    [InlineData("train --validation-split half", "Cannot parse argument 'half' for option '--validation-split' as a number (such as 0.01).")]
    [InlineData("predict -c m.safetensors --top x", "Cannot parse argument 'x' for option '--top' as a whole number.")]
    [InlineData("bench --seconds soon", "Cannot parse argument 'soon' for option '--seconds' as a number (such as 0.01).")]
    public void Parse_errors_name_the_option_the_value_and_what_is_expected_without_dotnet_types(string args, string expected)
    {
        CliResult r = _cli.Run(args.Split(' '));

        Assert.Equal(ExitCodes.Usage, r.Exit);
        string line = Assert.Single(r.ErrLines);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("System.", line);
        Assert.DoesNotContain("`1", line);
    }

    [GeneratedRegex(@"^    (cnn\b.*)$", RegexOptions.Multiline)]
    private static partial Regex ExampleLine();
}
