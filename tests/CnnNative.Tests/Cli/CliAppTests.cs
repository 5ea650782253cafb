using System.Text.RegularExpressions;
using CnnNative.Cli;
using CnnNative.Cli.Commands;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Cli;

public sealed class CliAppTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Providers_lists_every_provider_with_details_or_the_reason_and_fix()
    {
        _cli.Settings("""{ "Compute": { "Provider": "alpha" } }""");

        CliResult r = _cli.Run("providers");

        Assert.Equal(ExitCodes.Success, r.Exit);
        Assert.Equal("", r.Err);
        Assert.Contains("alpha*: available - test provider alpha", r.Out);
        Assert.Contains("device: host (double precision, plain loops); threads: 1", r.Out);
        Assert.Contains("broken: unavailable", r.Out);
        Assert.Contains("libbroken.so.1 was not found", r.Out);
        Assert.Contains("Install it with apt-get install libbroken1.", r.Out);
        Assert.Contains("crashy: unavailable", r.Out);
        Assert.Contains("failed to start: InvalidOperationException: driver exploded", r.Out);
    }

    [Fact]
    public void The_built_in_managed_provider_is_listed_and_selected_by_default()
    {
        using var empty = new TempFolder("no-settings"); // no appsettings.json: defaults apply
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            Variables = new Dictionary<string, string>(),
            BaseDirectory = empty.Path,
        };

        int exit = CliApp.Run(["providers"], environment, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("managed*: available", output.ToString());
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Providers_draws_a_table_on_a_terminal()
    {
        _cli.Interactive = true;
        _cli.Settings("""{ "Compute": { "Provider": "alpha" } }""");

        CliResult r = _cli.Run("providers");

        Assert.Equal(ExitCodes.Success, r.Exit);
        Assert.Contains("Provider", r.Out);
        Assert.Contains("Threads", r.Out);
        Assert.Contains("unavailable", r.Out);
        Assert.Contains("─", r.Out); // a border, not plain lines
        Assert.DoesNotContain("alpha*: available", r.Out);
    }

    [Fact]
    public void The_environment_overrides_appsettings_and_the_command_line_overrides_both()
    {
        _cli.Settings("""{ "Compute": { "Provider": "alpha" } }""");
        _cli.Variables["CNN_Compute__Provider"] = "broken";

        CliResult fromEnvironment = _cli.Run("providers");
        CliResult fromOption = _cli.Run("providers", "--provider", "alpha");

        Assert.Contains("broken*: unavailable", fromEnvironment.Out);
        Assert.DoesNotContain("alpha*", fromEnvironment.Out);
        Assert.Contains("alpha*: available", fromOption.Out);
        Assert.DoesNotContain("broken*", fromOption.Out);
    }

    [Fact]
    public void Variables_without_the_prefix_are_ignored()
    {
        _cli.Settings("""{ "Compute": { "Provider": "alpha" } }""");
        _cli.Variables["Compute__Provider"] = "broken";

        Assert.Contains("alpha*", _cli.Run("providers").Out);
    }

    [Fact]
    public void An_unknown_provider_is_one_line_listing_the_valid_names()
    {
        CliResult r = _cli.Run("providers", "--provider", "nope");

        Assert.Equal(ExitCodes.Failure, r.Exit);
        string line = Assert.Single(r.ErrLines);
        Assert.Contains("Unknown compute provider 'nope'. Valid names: alpha, broken, crashy.", line);
        Assert.StartsWith("cnn: ", line);
    }

    [Fact]
    public void Help_works_for_the_tool_and_every_command()
    {
        CliResult root = _cli.Run("--help");

        Assert.Equal(ExitCodes.Success, root.Exit);
        Assert.Contains(CliApp.Description, Regex.Replace(root.Out, @"\s+", " "));
        Assert.Contains("--provider", root.Out);
        var tree = CliApp.CreateCommandTree(new CliEnvironment { Out = TextWriter.Null, Error = TextWriter.Null });
        Assert.Equal(CommandCatalog.All.Count, tree.Subcommands.Count);
        foreach (var command in tree.Subcommands)
        {
            string name = command.Name;
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"cnn {name} has no description");
            CliResult help = _cli.Run(name, "--help");
            Assert.Equal(ExitCodes.Success, help.Exit);
            Assert.Contains($"cnn {name}", help.Out);
            Assert.Contains("Description:", help.Out);
            Assert.Contains(name, root.Out);
        }
    }

    [Fact]
    public void A_bare_cnn_prints_the_command_list_and_a_usage_exit_code()
    {
        CliResult r = _cli.Run();

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains("providers", r.Out);
    }

    [Theory]
    [InlineData("trian", "Unrecognized command or argument 'trian'. See 'cnn --help'.")]
    [InlineData("providers --bogus", "Unrecognized command or argument '--bogus'. See 'cnn providers --help'.")]
    [InlineData("providers --provider", "Required argument missing for option: '--provider'.")]
    public void Bad_command_lines_get_one_line_and_the_usage_exit_code(string args, string expected)
    {
        CliResult r = _cli.Run(args.Split(' '));

        Assert.Equal(ExitCodes.Usage, r.Exit);
        Assert.Contains(expected, Assert.Single(r.ErrLines));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void A_broken_settings_file_is_one_line_without_a_stack_trace_unless_verbose()
    {
        _cli.Settings("""{ "Compute": { "Provider": """);

        CliResult quiet = _cli.Run("providers");
        CliResult verbose = _cli.Run("providers", "--verbose");

        Assert.Equal(ExitCodes.Failure, quiet.Exit);
        string line = Assert.Single(quiet.ErrLines);
        Assert.Contains($"Cannot read {_cli.SettingsFile}", line);
        Assert.DoesNotContain("   at ", quiet.Err);
        Assert.Equal(ExitCodes.Failure, verbose.Exit);
        Assert.Contains("   at ", verbose.Err);
    }

    [Fact]
    public void A_plugin_named_in_appsettings_is_listed_and_can_be_selected()
    {
        string plugin = Path.Combine(AppContext.BaseDirectory, "plugins", "CnnNative.Samples.PlainProvider.dll");
        _cli.Settings($$"""{ "Compute": { "Provider": "plain", "Plugins": [ "{{plugin}}" ] } }""");

        CliResult r = _cli.Run("providers");

        Assert.Equal(ExitCodes.Success, r.Exit);
        Assert.Contains("plain*: available - Sample plugin", r.Out);
        Assert.Contains("alpha: available", r.Out);
    }

    [Fact]
    public void A_missing_plugin_assembly_is_reported()
    {
        _cli.Variables["CNN_Compute__Plugins__0"] = "/nonexistent/CnnNative.Providers.Fancy.dll";

        CliResult r = _cli.Run("providers");

        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.Contains("the plugin assembly '/nonexistent/CnnNative.Providers.Fancy.dll' (Compute:Plugins:0) does not exist",
            Assert.Single(r.ErrLines));
    }

    [Fact]
    public void Cancellation_stops_the_command_with_the_cancelled_exit_code()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        CliResult r = _cli.Run(cancelled.Token, "providers");

        Assert.Equal(ExitCodes.Cancelled, r.Exit);
        Assert.Equal("cnn: cancelled.", Assert.Single(r.ErrLines).TrimEnd());
    }
}
