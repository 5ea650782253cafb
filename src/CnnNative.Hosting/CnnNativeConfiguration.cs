using Microsoft.Extensions.Configuration;

namespace CnnNative.Hosting;

/// <summary>
/// CnnNative's configuration in the standard Microsoft.Extensions.Configuration order, later
/// sources winning: <c>appsettings.json</c> in the application's folder, then environment
/// variables prefixed <c>CNN_</c> (<c>CNN_Compute__Provider=opencl</c>), then explicit overrides
/// (command-line options). The CLI, the benchmarks and the tests read their settings through it.
/// </summary>
public static class CnnNativeConfiguration
{
    /// <summary>The settings file looked for in the base directory (optional).</summary>
    public const string FileName = "appsettings.json";

    /// <summary>The prefix of environment variables that override settings.</summary>
    public const string EnvironmentPrefix = "CNN_";

    /// <summary>Builds the configuration.</summary>
    /// <param name="baseDirectory">Folder holding appsettings.json; the application's folder when null.</param>
    /// <param name="environmentVariables">Variables to read instead of the process environment (tests pass a dictionary).</param>
    /// <param name="overrides">Settings that win over everything, keyed like "Compute:Provider".</param>
    /// <exception cref="InvalidDataException">appsettings.json is not valid JSON.</exception>
    public static IConfigurationRoot Build(string? baseDirectory = null,
        IReadOnlyDictionary<string, string>? environmentVariables = null,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        string file = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, FileName);
        var builder = new ConfigurationBuilder().AddJsonFile(file, optional: true, reloadOnChange: false);
        if (environmentVariables is null)
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        else
            builder.AddInMemoryCollection(FromVariables(environmentVariables));
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        return builder.Build();
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
}
