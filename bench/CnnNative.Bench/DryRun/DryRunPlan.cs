namespace CnnNative.Bench.DryRun;

/// <summary>
/// Which benchmark cases a dry run for one provider covers: every case whose Provider
/// parameter is that provider, plus the cases of suites without a Provider parameter whose
/// namespace names the provider (<c>CnnNative.Bench.OpenBlas</c> → openblas; any other
/// namespace → managed). So each case runs in exactly one provider's pass, and a pass for a
/// provider that is unavailable here can be skipped as a whole.
/// </summary>
public static class DryRunPlan
{
    public const string ProviderParameter = "Provider";

    public static IReadOnlyList<BenchmarkCase> For(string provider) =>
        SuiteReflection.Suites(typeof(DryRunPlan).Assembly)
            .SelectMany(SuiteReflection.Cases)
            .Where(c => string.Equals(ProviderOf(c), provider, StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>The provider a case runs on (its Provider parameter, else the one its namespace names, else managed).</summary>
    public static string ProviderOf(BenchmarkCase benchmarkCase)
    {
        if (benchmarkCase.Parameter(ProviderParameter) is string name) return name;
        string last = benchmarkCase.Suite.Namespace?.Split('.')[^1] ?? "";
        foreach (string known in BenchProviders.Names)
            if (string.Equals(known, last, StringComparison.OrdinalIgnoreCase)) return known;
        return "managed";
    }
}
