using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace CnnNative.Core;

/// <summary>
/// Loads provider plugins by assembly path, each into its own <see cref="AssemblyLoadContext"/>
/// (the .NET plugin pattern): the plugin's private dependencies come from its own folder
/// (its deps.json), while every assembly the host already has — CnnNative.Core above all —
/// is shared, so the plugin's factory is the host's <see cref="IComputeProviderFactory"/> type.
/// A path is loaded once per process however many registries ask for it.
/// </summary>
internal static class PluginAssemblies
{
    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Loaded = new(StringComparer.Ordinal);

    /// <summary>New instances of the public factory types of the plugin at <paramref name="path"/>.</summary>
    public static IEnumerable<IComputeProviderFactory> Factories(string path, string baseDirectory)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        string full = Path.GetFullPath(path, baseDirectory);
        if (!File.Exists(full))
            throw new ProviderUnavailableException(name,
                $"the plugin assembly '{full}' named in Compute:Plugins does not exist.",
                "Fix the path in appsettings.json (relative paths start at the application's folder) or remove the entry.");
        Assembly assembly;
        try
        {
            RegularFile.Check(full);
            assembly = Loaded.GetOrAdd(full, p => new Lazy<Assembly>(() => new PluginLoadContext(p).LoadFromAssemblyPath(p))).Value;
        }
        catch (Exception e) when (e is BadImageFormatException or NotARegularFileException)
        {
            throw new ProviderUnavailableException(name, $"'{full}' named in Compute:Plugins is not a .NET assembly.",
                "Point Compute:Plugins at the plugin's .dll built for this .NET version.", e);
        }
        var types = assembly.GetExportedTypes()
            .Where(t => typeof(IComputeProviderFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        if (types.Count == 0)
            throw new ProviderUnavailableException(name,
                $"the plugin assembly '{full}' declares no public {nameof(IComputeProviderFactory)}.",
                "Point Compute:Plugins at an assembly with a public factory class that has a parameterless constructor.");
        return types.Select(t => (IComputeProviderFactory)Activator.CreateInstance(t)!).ToList();
    }

    private sealed class PluginLoadContext(string pluginPath) : AssemblyLoadContext($"CnnNative plugin {Path.GetFileName(pluginPath)}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(pluginPath);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // The host's copy wins, so shared contract types keep one identity.
            try
            {
                return Default.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
                string? path = _resolver.ResolveAssemblyToPath(assemblyName);
                return path is null ? null : LoadFromAssemblyPath(path);
            }
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }
    }
}
