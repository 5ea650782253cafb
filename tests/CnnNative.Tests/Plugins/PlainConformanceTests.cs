using CnnNative.Tests.Conformance;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Plugins;

/// <summary>
/// The sample plugin (samples/PlainProvider, loaded by path from testsettings.json) implements
/// only the minimal core of ComputeProvider; the whole suite passing on it is the proof that
/// the base class's composite and fallback defaults cover every other operation.
/// </summary>
[ProviderUnderTest("plain")]
public sealed class PlainConformanceTests(ProviderFixture fixture) : ProviderConformanceTests(fixture);
