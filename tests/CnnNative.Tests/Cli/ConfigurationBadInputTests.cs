using CnnNative.Cli;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Cli;

/// <summary>Configuration that is not what it should be is refused with one clear line, never skipped.</summary>
public sealed class ConfigurationBadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void An_appsettings_json_that_is_a_folder_is_refused()
    {
        Directory.CreateDirectory(_cli.SettingsFile);

        CliResult r = _cli.Run("providers");

        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.Contains("appsettings.json: it is a folder, not a regular file", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Fact]
    public void An_appsettings_json_that_is_a_named_pipe_is_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux()) return; // FIFOs are told apart with statx on Linux
        SpecialFiles.MakeFifo(_cli.SettingsFile);

        CliResult r = _cli.Run("providers");

        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.Contains("named pipe (FIFO)", r.Err);
    }

    [Fact]
    public void An_empty_provider_is_refused_on_the_command_line_as_in_the_settings()
    {
        CliResult option = _cli.Run("providers", "--provider", "");
        Assert.Equal(ExitCodes.Usage, option.Exit);
        Assert.Contains("--provider was given an empty value", option.Err);

        _cli.Settings("""{ "Compute": { "Provider": "" } }""");
        CliResult settings = _cli.Run("eval", "--checkpoint", _cli.SettingsFile);
        Assert.NotEqual(ExitCodes.Success, settings.Exit);
    }
}
