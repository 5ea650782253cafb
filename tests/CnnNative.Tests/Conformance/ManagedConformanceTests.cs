using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

[ProviderUnderTest("managed")]
public sealed class ManagedConformanceTests(ProviderFixture fixture) : ProviderConformanceTests(fixture);
