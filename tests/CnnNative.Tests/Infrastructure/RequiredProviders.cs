namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// The providers that must really run: <c>CNN_REQUIRE_PROVIDERS=managed,openblas,opencl</c>
/// (CI sets it). A required provider that cannot start fails its tests instead of skipping them.
/// </summary>
public static class RequiredProviders
{
    public const string Variable = "CNN_REQUIRE_PROVIDERS";

    private static readonly Lazy<IReadOnlySet<string>> FromEnvironment =
        new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>The names in <see cref="Variable"/>, lower-cased.</summary>
    public static IReadOnlySet<string> Names => FromEnvironment.Value;

    public static bool Contains(string name) => Names.Contains(name);

    /// <summary>Splits a list such as "managed, OpenCL;openblas" (commas, semicolons or spaces).</summary>
    public static IReadOnlySet<string> Parse(string? value)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(value)) return names;
        foreach (string part in value.Split([',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            names.Add(part.ToLowerInvariant());
        return names;
    }
}
