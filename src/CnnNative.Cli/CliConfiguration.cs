using CnnNative.Core;
using CnnNative.Hosting;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Cli;

/// <summary>
/// The tool's configuration: <see cref="CnnNativeConfiguration"/> (appsettings.json next to the
/// executable, then <c>CNN_</c> environment variables, then command-line options), with its
/// failures turned into one-line <see cref="CliException"/>s.
/// </summary>
internal static class CliConfiguration
{
    public const string FileName = CnnNativeConfiguration.FileName;

    /// <param name="environment">Where appsettings.json lives and which environment variables to read.</param>
    /// <param name="overrides">Settings from the command line, keyed like "Compute:Provider".</param>
    public static IConfigurationRoot Build(CliEnvironment environment, IReadOnlyDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(overrides);
        string file = Path.Combine(environment.BaseDirectory, FileName);
        EnsureFileOrAbsent(file);
        try
        {
            return CnnNativeConfiguration.Build(environment.BaseDirectory, environment.Variables, overrides);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            throw new CliException($"Cannot read {file}: {Innermost(e).Message} Fix the file or delete it to use the defaults.", ExitCodes.Failure, e);
        }
    }

    /// <summary>
    /// appsettings.json is optional, but a folder or a pipe of that name is a mistake to
    /// report, not a file to skip (a folder was silently ignored; a pipe would block).
    /// </summary>
    private static void EnsureFileOrAbsent(string file)
    {
        try
        {
            RegularFile.Check(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Absent: the defaults apply.
        }
        catch (NotARegularFileException e)
        {
            throw new CliException($"Cannot read {file}: {e.Problem} Replace it with a JSON settings file or remove it to use the defaults.", ExitCodes.Failure, e);
        }
    }

    /// <summary>The bound <c>Compute</c> section (defaults where unset).</summary>
    public static ComputeOptions BindCompute(IConfiguration configuration)
    {
        ComputeOptions options;
        try
        {
            options = ComputeOptions.Bind(configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"The {ComputeOptions.SectionName} settings are invalid: {FriendlyTypeNames.Rewrite(Innermost(e).Message)}", ExitCodes.Failure, e);
        }
        // "Provider": null or "" in appsettings.json, or an empty CNN_Compute__Provider: refused
        // as an empty --provider is, instead of a null reaching the registry.
        if (string.IsNullOrWhiteSpace(options.Provider))
            throw new CliException(
                $"{ComputeOptions.SectionName}:{nameof(ComputeOptions.Provider)} is empty (appsettings.json or CNN_Compute__Provider). Name a provider (see 'cnn providers') or remove the setting to use the default, managed.",
                ExitCodes.Failure);
        if (options.MemoryLimitGiB is { } gib && !(gib > 0 && gib <= ComputeOptions.MaxMemoryLimitGiB))
            throw new CliException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{ComputeOptions.SectionName}:{nameof(ComputeOptions.MemoryLimitGiB)} is {gib} (appsettings.json or CNN_Compute__MemoryLimitGiB); give a size in GiB above 0 and at most {ComputeOptions.MaxMemoryLimitGiB}, or remove it to follow the machine's available memory."),
                ExitCodes.Failure);
        return options;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
