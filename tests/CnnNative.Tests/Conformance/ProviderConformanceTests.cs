using CnnNative.Core;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Conformance;

/// <summary>
/// Every operation of <see cref="IComputeProvider"/>, run on the provider under test and on
/// the double-precision <see cref="ReferenceProvider"/> with the same seeded inputs, over
/// awkward shapes. Written once; each provider binds it with a sealed subclass:
/// <code>
/// [ProviderUnderTest("managed")]
/// public sealed class ManagedConformanceTests(ProviderFixture fixture) : ProviderConformanceTests(fixture);
/// </code>
/// The partial files hold one operation family each. Every test is a
/// <see cref="ProviderFactAttribute"/>/<see cref="ProviderTheoryAttribute"/>, so an
/// unavailable provider is reported as skipped with its reason, or fails when
/// CNN_REQUIRE_PROVIDERS names it.
/// </summary>
public abstract partial class ProviderConformanceTests : IClassFixture<ProviderFixture>, IDisposable
{
    private readonly ProviderFixture _fixture;
    private readonly List<Tensor> _scratch = [];

    protected ProviderConformanceTests(ProviderFixture fixture)
    {
        _fixture = fixture;
        ProviderName = ProviderUnderTestAttribute.Of(GetType());
        Provider = fixture.Provider(ProviderName);
        Oracle = fixture.Oracle;
    }

    /// <summary>The name in the binding's <see cref="ProviderUnderTestAttribute"/>.</summary>
    protected string ProviderName { get; }

    protected IComputeProvider Provider { get; }

    protected ReferenceProvider Oracle { get; }

    /// <summary>A second, independent instance of the provider under test.</summary>
    protected IComputeProvider SecondInstance => _fixture.Second(ProviderName);

    /// <summary>A harness for one case; <paramref name="seedParts"/> identify the case so its inputs repeat.</summary>
    protected OpHarness Harness(params ReadOnlySpan<int> seedParts) => new(Provider, Oracle, TestData.Seed(seedParts));

    /// <summary>A zero-filled tensor on the provider under test, disposed after the test.</summary>
    protected Tensor Scratch(params int[] dims)
    {
        var t = Provider.Allocate(new TensorShape(dims));
        _scratch.Add(t);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _scratch) t.Dispose();
        _scratch.Clear();
        GC.SuppressFinalize(this);
    }

    [ProviderFact]
    public void Provider_reports_the_name_it_was_created_by()
    {
        Assert.Equal(ProviderName, Provider.Name);
        Assert.Equal(ProviderName, Provider.Info.Name);
        Assert.False(string.IsNullOrWhiteSpace(Provider.Info.Device));
        Assert.True(Provider.Info.Threads >= 1, $"Info.Threads is {Provider.Info.Threads}");
    }
}
