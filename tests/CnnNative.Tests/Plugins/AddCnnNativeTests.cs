using CnnNative.Core;
using CnnNative.Hosting;
using CnnNative.Tests.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CnnNative.Tests.Plugins;

public sealed class AddCnnNativeTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_managed_provider_is_resolved_when_nothing_is_configured()
    {
        using var services = new ServiceCollection().AddCnnNative(Settings()).BuildServiceProvider();

        var provider = services.GetRequiredService<IComputeProvider>();

        Assert.Equal("managed", provider.Name);
        Assert.Same(provider, services.GetRequiredService<IComputeProvider>());
        Assert.Equal(["managed", "openblas", "opencl"], services.GetRequiredService<ProviderRegistry>().Names);
    }

    [Fact]
    public void The_compute_section_selects_a_plugin_provider_and_its_settings_bind_as_options()
    {
        var configuration = Settings(("Compute:Provider", "plain"), ("Compute:Plugins:0", PluginPaths.Absolute));
        ComputeProvider provider;
        using (var services = new ServiceCollection().AddCnnNative(configuration).BuildServiceProvider())
        {
            Assert.Equal("plain", services.GetRequiredService<IOptions<ComputeOptions>>().Value.Provider);
            provider = Assert.IsAssignableFrom<ComputeProvider>(services.GetRequiredService<IComputeProvider>());
            Assert.Equal("plain", provider.Name);
            Assert.False(provider.IsDisposed);
        }
        Assert.True(provider.IsDisposed, "the container disposes the provider it created");
    }

    [Fact]
    public void Providers_registered_in_code_join_the_catalogue()
    {
        var configuration = Settings(("Compute:Provider", "reference"));
        using var services = new ServiceCollection()
            .AddCnnNative(configuration, registry => registry.Register(new Infrastructure.ReferenceProviderFactory()))
            .BuildServiceProvider();

        Assert.Equal("reference", services.GetRequiredService<IComputeProvider>().Name);
    }

    [Fact]
    public void An_unknown_provider_fails_on_resolution_with_the_valid_names()
    {
        using var services = new ServiceCollection().AddCnnNative(Settings(("Compute:Provider", "nope"))).BuildServiceProvider();

        var e = Assert.Throws<UnknownProviderException>(() => services.GetRequiredService<IComputeProvider>());

        Assert.Contains("Valid names: managed, openblas, opencl.", e.Message);
    }

    [Fact]
    public void Configuration_layers_appsettings_then_environment_then_overrides()
    {
        using var folder = new TempFolder("config-layers");
        File.WriteAllText(folder.File(CnnNativeConfiguration.FileName),
            """{ "Compute": { "Provider": "from-file", "Plugins": [ "a.dll" ], "Managed": { "Threads": "3" } } }""");
        var variables = new Dictionary<string, string> { ["CNN_Compute__Provider"] = "from-env", ["Compute__Managed__Threads"] = "ignored" };

        var fromEnvironment = CnnNativeConfiguration.Build(folder.Path, variables);
        var fromOverride = CnnNativeConfiguration.Build(folder.Path, variables, [new("Compute:Provider", "from-option")]);

        Assert.Equal("from-env", ComputeOptions.Bind(fromEnvironment).Provider);
        Assert.Equal(["a.dll"], ComputeOptions.Bind(fromEnvironment).Plugins);
        Assert.Equal("3", fromEnvironment["Compute:Managed:Threads"]);
        Assert.Equal("from-option", ComputeOptions.Bind(fromOverride).Provider);
    }
}
