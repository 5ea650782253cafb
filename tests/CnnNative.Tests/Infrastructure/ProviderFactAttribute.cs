using Xunit.Sdk;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// A fact about one provider: the one passed here, or the class's <see cref="ProviderUnderTestAttribute"/>.
/// Reported as skipped, with the provider's own reason, when the provider cannot run on this
/// machine — unless <c>CNN_REQUIRE_PROVIDERS</c> names it, in which case the test runs and fails.
/// </summary>
[XunitTestCaseDiscoverer("CnnNative.Tests.Infrastructure.ProviderFactDiscoverer", "CnnNative.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProviderFactAttribute(string? provider = null) : FactAttribute
{
    public string? Provider { get; } = provider;
}

/// <summary>The theory form of <see cref="ProviderFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("CnnNative.Tests.Infrastructure.ProviderTheoryDiscoverer", "CnnNative.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public class ProviderTheoryAttribute(string? provider = null) : TheoryAttribute
{
    public string? Provider { get; } = provider;
}
