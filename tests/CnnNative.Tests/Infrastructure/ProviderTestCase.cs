using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// A test case whose skip reason comes from <see cref="ProviderGate"/> rather than from a
/// constant on the attribute. The reason is recomputed after deserialisation (xunit calls
/// <see cref="GetSkipReason"/> from Initialize), so it needs no extra serialised state.
/// </summary>
public sealed class ProviderTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer only.")]
    public ProviderTestCase() { }

    public ProviderTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options,
        ITestMethod testMethod, object[]? testMethodArguments = null)
        : base(diagnosticMessageSink, display, options, testMethod, testMethodArguments) { }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        string? provider = ProviderUnderTestAttribute.Of(TestMethod, factAttribute);
        return (provider is null ? null : ProviderGate.SkipReason(provider)) ?? base.GetSkipReason(factAttribute);
    }
}

/// <summary>Discovers <see cref="ProviderFactAttribute"/> tests as <see cref="ProviderTestCase"/>s.</summary>
public sealed class ProviderFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new ProviderTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>
/// Discovers <see cref="ProviderTheoryAttribute"/> tests: one skipped <see cref="ProviderTestCase"/>
/// carrying the reason when the provider is gated off, otherwise the usual one case per data row.
/// </summary>
public sealed class ProviderTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        string? provider = ProviderUnderTestAttribute.Of(testMethod, theoryAttribute);
        if (provider is not null && ProviderGate.SkipReason(provider) is not null)
            return [new ProviderTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
        return base.Discover(discoveryOptions, testMethod, theoryAttribute);
    }
}
