using CnnNative.Core;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Cli;

/// <summary>
/// Builds the tool's configuration in the standard Microsoft.Extensions.Configuration order,
/// later sources winning: appsettings.json next to the executable, then environment variables
/// prefixed <c>CNN_</c> (<c>CNN_Compute__Provider=opencl</c>), then command-line options.
/// </summary>
public static class CliConfiguration
{
    public const string FileName = "appsettings.json";
    public const string EnvironmentPrefix = "CNN_";

    /// <param name="environment">Where appsettings.json lives and which environment variables to read.</param>
    /// <param name="overrides">Settings from the command line, keyed like "Compute:Provider".</param>
    public static IConfigurationRoot Build(CliEnvironment environment, IReadOnlyDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(overrides);
        string file = Path.Combine(environment.BaseDirectory, FileName);
        EnsureFileOrAbsent(file);
        var builder = new ConfigurationBuilder().AddJsonFile(file, optional: true, reloadOnChange: false);
        if (environment.Variables is null)
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        else
            builder.AddInMemoryCollection(FromVariables(environment.Variables));
        builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
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
            options = configuration.GetSection(ComputeOptions.SectionName).Get<ComputeOptions>() ?? new ComputeOptions();
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
        return options;
    }

    /// <summary>
    /// The environment-variable provider's rules applied to a dictionary: keep names starting
    /// with the prefix (any case), drop the prefix, and read "__" as the section separator.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string?>> FromVariables(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (name, value) in variables)
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                yield return new(name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), value);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
