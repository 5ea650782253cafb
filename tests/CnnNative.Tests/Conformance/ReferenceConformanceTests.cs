using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

/// <summary>The oracle runs the suite too, against a second instance of itself: it keeps the suite's own checks honest.</summary>
[ProviderUnderTest("reference")]
public sealed class ReferenceConformanceTests(ProviderFixture fixture) : ProviderConformanceTests(fixture);
