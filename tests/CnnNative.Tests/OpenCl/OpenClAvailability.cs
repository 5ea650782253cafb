using CnnNative.Core;
using CnnNative.Providers.OpenCl;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// Whether an OpenCL device can run the provider here, probed once per test run. A test is
/// skipped with the provider's own reason when it cannot — unless CNN_REQUIRE_PROVIDERS
/// names opencl (CI), in which case the test runs and fails on the unavailable provider.
/// </summary>
internal static class OpenClAvailability
{
    public const string RequireVariable = "CNN_REQUIRE_PROVIDERS";

    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>Null when the provider starts; otherwise why not.</summary>
    public static string? Unavailable => Problem.Value;

    public static bool Required =>
        (Environment.GetEnvironmentVariable(RequireVariable) ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(OpenClProviderFactory.ProviderName, StringComparer.OrdinalIgnoreCase);

    /// <summary>The skip reason for a test attribute, or null to run the test.</summary>
    public static string? SkipReason => Unavailable is { } reason && !Required ? reason : null;

    private static string? Probe()
    {
        try
        {
            using var provider = new OpenClProviderFactory().Create(new OpenClOptions());
            return null;
        }
        catch (ProviderUnavailableException e)
        {
            return e.Message;
        }
    }
}

/// <summary>A fact that needs an OpenCL device (skipped with the reason when there is none and opencl is not required).</summary>
public sealed class OpenClFactAttribute : FactAttribute
{
    public OpenClFactAttribute()
    {
        if (OpenClAvailability.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>The theory form of <see cref="OpenClFactAttribute"/>.</summary>
public sealed class OpenClTheoryAttribute : TheoryAttribute
{
    public OpenClTheoryAttribute()
    {
        if (OpenClAvailability.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>One provider (one context, one program build) shared by every OpenCL test class.</summary>
public sealed class OpenClProviderFixture : IDisposable
{
    private readonly Lazy<OpenClProvider> _provider = new(() => new OpenClProviderFactory().Create(new OpenClOptions()));

    public OpenClProvider Provider => _provider.Value;

    public void Dispose()
    {
        if (_provider.IsValueCreated) _provider.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<OpenClProviderFixture>
{
    public const string Name = "OpenCL device";
}
