using CnnNative.Core;
using CnnNative.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.Conformance;

/// <summary>
/// The rule that keeps providers from dropping out quietly: every name in
/// CNN_REQUIRE_PROVIDERS must start here, and only a legitimately unavailable, unrequired
/// provider is ever skipped.
/// </summary>
public sealed class RequiredProvidersTests
{
    [Fact]
    public void Every_required_provider_is_available()
    {
        var problems = RequiredProviders.Names
            .Select(TestProviders.Probe)
            .Where(probe => !probe.Available)
            .Select(probe => $"{probe.Name}: {probe.Reason}")
            .ToList();
        Assert.True(problems.Count == 0,
            $"{RequiredProviders.Variable}={Environment.GetEnvironmentVariable(RequiredProviders.Variable)} names providers that cannot run:\n" +
            string.Join("\n", problems));
    }

    [Fact]
    public void Required_list_is_parsed_case_insensitively_with_any_separator()
    {
        var names = RequiredProviders.Parse(" managed, OpenCL;openblas  ,,");
        Assert.Equal(["managed", "openblas", "opencl"], names.Order());
        Assert.Contains("OPENCL", names);
        Assert.Empty(RequiredProviders.Parse(null));
        Assert.Empty(RequiredProviders.Parse("  "));
    }

    [Fact]
    public void Unavailable_provider_is_skipped_with_its_reason_unless_required()
    {
        var registry = new ProviderRegistry().Register(new UnavailableFactory());
        var probe = ProviderProbe.Run(registry, "ghost");
        Assert.Equal(ProbeOutcome.Unavailable, probe.Outcome);

        string? skip = ProviderGate.Decide(probe, required: false);
        Assert.NotNull(skip);
        Assert.Contains("libghost.so.1 was not found", skip);
        Assert.Contains(RequiredProviders.Variable, skip);
        Assert.Null(ProviderGate.Decide(probe, required: true));
    }

    [Fact]
    public void Unknown_or_broken_providers_are_never_skipped()
    {
        var registry = new ProviderRegistry().Register(new BrokenFactory());
        var unknown = ProviderProbe.Run(registry, "nosuch");
        Assert.Equal(ProbeOutcome.Unknown, unknown.Outcome);
        Assert.Contains("broken", unknown.Reason);
        Assert.Null(ProviderGate.Decide(unknown, required: false));

        var broken = ProviderProbe.Run(registry, "broken");
        Assert.Equal(ProbeOutcome.Broken, broken.Outcome);
        Assert.Contains("DllNotFoundException", broken.Reason);
        Assert.Null(ProviderGate.Decide(broken, required: false));
    }

    [Fact]
    public void Available_provider_runs()
    {
        var probe = TestProviders.Probe("reference");
        Assert.True(probe.Available, probe.Reason);
        Assert.Null(ProviderGate.Decide(probe, required: false));
    }

    private sealed class UnavailableFactory : IComputeProviderFactory
    {
        public string Name => "ghost";
        public string Description => "A provider whose library is missing.";
        public IComputeProvider Create(IConfiguration section) =>
            throw new ProviderUnavailableException("ghost", "libghost.so.1 was not found.", "Install ghost.");
    }

    private sealed class BrokenFactory : IComputeProviderFactory
    {
        public string Name => "broken";
        public string Description => "A provider that leaks a raw loader exception.";
        public IComputeProvider Create(IConfiguration section) => throw new DllNotFoundException("libbroken.so");
    }
}
