using CnnNative.Core;
using CnnNative.Providers.OpenBlas.Interop;

namespace CnnNative.Tests.OpenBlas;

/// <summary>
/// A fact that needs the OpenBLAS library. Where it cannot load, the test is skipped with the
/// loader's full report as the reason, unless <c>CNN_REQUIRE_PROVIDERS</c> names openblas (CI):
/// then it runs and fails with that report, so the provider cannot drop out quietly.
/// </summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute() => Skip = OpenBlasAvailability.SkipReason();

    /// <summary>
    /// A file the test also needs that is not a project dependency (e.g. Debian's ILP64 build);
    /// without it the test is skipped, saying so, rather than passing without checking anything.
    /// </summary>
    public string? RequiresFile
    {
        get => _requiresFile;
        set
        {
            _requiresFile = value;
            if (Skip is null && value is not null && !File.Exists(value))
                Skip = $"needs '{value}', which is not installed here";
        }
    }

    private string? _requiresFile;
}

/// <inheritdoc cref="OpenBlasFactAttribute"/>
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public OpenBlasTheoryAttribute() => Skip = OpenBlasAvailability.SkipReason();
}

internal static class OpenBlasAvailability
{
    /// <summary>Null when the tests must run: the library loads, or CI requires it (then they fail with the report).</summary>
    public static string? SkipReason()
    {
        string? problem = Problem.Value;
        return problem is not null && !Required() ? problem : null;
    }

    private static readonly Lazy<string?> Problem = new(() =>
    {
        try
        {
            OpenBlasLibrary.Load(null, AppContext.BaseDirectory);
            return null;
        }
        catch (ProviderUnavailableException e) { return e.Message; }
    });

    private static bool Required() =>
        (Environment.GetEnvironmentVariable("CNN_REQUIRE_PROVIDERS") ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains("openblas", StringComparer.OrdinalIgnoreCase);
}
