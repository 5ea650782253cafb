using System.CommandLine;

namespace CnnNative.Cli;

/// <summary>Options every command accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    /// <summary>--provider NAME: overrides Compute:Provider from appsettings.json and CNN_Compute__Provider.</summary>
    public Option<string?> Provider { get; } = new("--provider", "-p")
    {
        Description = "Compute provider to run on (managed, openblas, opencl, or a plugin). Overrides Compute:Provider in appsettings.json and CNN_Compute__Provider.",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>--verbose: full exception details (stack traces) on failure.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print every detail of the provider before a run, and on failure the full error with its stack trace instead of one line.",
        Recursive = true,
    };

    internal void AddTo(Command root)
    {
        root.Options.Add(Provider);
        root.Options.Add(Verbose);
    }
}
