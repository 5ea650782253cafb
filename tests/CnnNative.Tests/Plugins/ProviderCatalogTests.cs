using System.Reflection;
using System.Runtime.Loader;
using CnnNative.Core;
using CnnNative.Hosting;
using CnnNative.Tests.Data;
using CnnNative.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.Plugins;

public sealed class ProviderCatalogTests
{
    [Fact]
    public void The_default_catalogue_holds_the_three_built_in_providers()
    {
        Assert.Equal(["managed", "openblas", "opencl"], ProviderCatalog.CreateDefault().Names);
    }

    [Fact]
    public void A_plugin_named_in_settings_is_loaded_by_path_into_its_own_load_context()
    {
        using var provider = TestProviders.Create("plain");

        Assembly plugin = provider.GetType().Assembly;
        Assert.Equal(Path.GetFullPath(PluginPaths.Absolute), plugin.Location);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(plugin));
        // The contract is shared with the host, so the plugin's provider is the host's ComputeProvider.
        Assert.IsAssignableFrom<ComputeProvider>(provider);
    }

    [Fact]
    public void Relative_plugin_paths_start_at_the_settings_folder_not_the_working_directory()
    {
        using var folder = new TempFolder("plugin-base");
        string relative = Path.GetRelativePath(folder.Path, PluginPaths.Absolute);

        var registry = new ProviderRegistry().LoadPlugins([relative], folder.Path);

        Assert.Equal(["plain"], registry.Names);
    }

    [Fact]
    public void A_path_that_is_not_an_assembly_is_reported_with_the_fix()
    {
        using var folder = new TempFolder("plugin-bad");
        File.WriteAllText(folder.File("NotAPlugin.dll"), "not a PE file");

        var e = Assert.Throws<ProviderUnavailableException>(() => new ProviderRegistry().LoadPlugins(["NotAPlugin.dll"], folder.Path));

        Assert.Contains("is not a .NET assembly", e.Message);
        Assert.Contains("Point Compute:Plugins at the plugin's .dll", e.Message);
    }

    [Fact]
    public void A_relative_path_that_is_missing_says_what_it_was_resolved_against()
    {
        using var folder = new TempFolder("plugin-relative");

        var e = Assert.Throws<ProviderUnavailableException>(() => new ProviderRegistry().LoadPlugins(["a.dll", "plugins/Fancy.dll"], folder.Path));

        Assert.Contains("the plugin assembly 'a.dll' (Compute:Plugins:0), read relative to " + folder.Path
            + " (the folder of appsettings.json, not the working directory) as '" + Path.Combine(folder.Path, "a.dll") + "', does not exist.", e.Message);
        Assert.EndsWith("Give an absolute path or one relative to " + folder.Path + " (appsettings.json or CNN_Compute__Plugins__N), or remove the entry.", e.Message);
    }

    [Theory]
    [InlineData("", "Compute:Plugins:0 is empty. Name a plugin .dll there or remove the entry.")]
    [InlineData("/dev/null", "the plugin path '/dev/null' (Compute:Plugins:0) is no assembly: it is a character device, not a regular file.")]
    [InlineData("/tmp", "the plugin path '/tmp' (Compute:Plugins:0) is a folder, not an assembly. Name the plugin's .dll inside it (for example /tmp/tmp.dll).")]
    public void A_path_that_names_no_file_says_what_it_names(string path, string expected)
    {
        if (!OperatingSystem.IsLinux()) return; // /dev/null and /tmp
        var e = Assert.Throws<ProviderUnavailableException>(() => new ProviderRegistry().LoadPlugins([path], "/"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_assembly_without_a_factory_is_refused()
    {
        string core = typeof(ComputeProvider).Assembly.Location;

        var e = Assert.Throws<ProviderUnavailableException>(() => new ProviderRegistry().LoadPlugins([core]));

        Assert.Contains("declares no public IComputeProviderFactory", e.Message);
    }

    [Fact]
    public void A_provider_that_implements_the_interface_without_the_validating_base_is_refused()
    {
        var factory = new BareFactory();
        var registry = new ProviderRegistry().Register(factory);

        var e = Assert.Throws<ProviderUnavailableException>(() => registry.Create("bare"));

        Assert.Contains("without deriving from CnnNative.Core.ComputeProvider, so nothing would validate its calls", e.Message);
        Assert.Contains("Derive the provider from ComputeProvider", e.Message);
        Assert.True(factory.Disposed, "the refused provider is disposed");
        var status = Assert.Single(registry.Probe(new ConfigurationBuilder().Build()));
        Assert.False(status.Available);
        Assert.Contains("nothing would validate its calls", status.Problem);
    }

    [Fact]
    public void The_minimal_core_is_exactly_the_documented_list()
    {
        string[] abstractMembers = typeof(ComputeProvider)
            .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.IsAbstract)
            .Select(m => m.Name.Replace("get_", ""))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();

        // docs/providers.md and README.md list these; change them together.
        Assert.Equal(
            ["AllocateBufferCore", "AxpyCore", "Col2ImCore", "CopyCore", "DownloadCore", "FillCore", "GemmCore",
             "Im2ColCore", "Info", "Name", "ScaleCore", "SynchronizeCore", "UploadCore"],
            abstractMembers);
    }

    /// <summary>Returns a provider that implements <see cref="IComputeProvider"/> directly (a proxy, so no 50 stubs).</summary>
    private sealed class BareFactory : IComputeProviderFactory
    {
        public bool Disposed { get; private set; }

        public string Name => "bare";

        public string Description => "implements the interface, skips the base class";

        public IComputeProvider Create(IConfiguration section)
        {
            var provider = DispatchProxy.Create<IComputeProvider, BareProvider>();
            ((BareProvider)(object)provider).OnDispose = () => Disposed = true;
            return provider;
        }
    }

    public class BareProvider : DispatchProxy
    {
        public Action? OnDispose { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == nameof(IDisposable.Dispose)) { OnDispose?.Invoke(); return null; }
            throw new NotSupportedException($"{targetMethod?.Name} should never be reached: the registry refuses this provider.");
        }
    }
}
