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
    public OpenBlasFactAttribute()
    {
        string? problem = Problem.Value;
        if (problem is not null && !Required()) Skip = problem;
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
