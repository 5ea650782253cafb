using CnnNative.Core;
using CnnNative.Hosting;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Cli;

/// <summary>
/// The tool's configuration: <see cref="CnnNativeConfiguration"/> (appsettings.json next to the
/// executable, then <c>CNN_</c> environment variables, then command-line options), with its
/// failures turned into one-line <see cref="CliException"/>s.
/// </summary>
public static class CliConfiguration
{
    public const string FileName = CnnNativeConfiguration.FileName;

    /// <param name="environment">Where appsettings.json lives and which environment variables to read.</param>
    /// <param name="overrides">Settings from the command line, keyed like "Compute:Provider".</param>
    public static IConfigurationRoot Build(CliEnvironment environment, IReadOnlyDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(overrides);
        try
        {
            return CnnNativeConfiguration.Build(environment.BaseDirectory, environment.Variables, overrides);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            string file = Path.Combine(environment.BaseDirectory, FileName);
            throw new CliException($"Cannot read {file}: {Innermost(e).Message} Fix the file or delete it to use the defaults.", ExitCodes.Failure, e);
        }
    }

    /// <summary>The bound <c>Compute</c> section (defaults where unset).</summary>
    public static ComputeOptions BindCompute(IConfiguration configuration)
    {
        try
        {
            return ComputeOptions.Bind(configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"The {ComputeOptions.SectionName} settings are invalid: {Innermost(e).Message}", ExitCodes.Failure, e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
