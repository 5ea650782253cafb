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
    /// <param name="path">The path as configured: absolute, or relative to <paramref name="baseDirectory"/>.</param>
    /// <param name="baseDirectory">The folder of the configuration file, which relative paths start at.</param>
    /// <param name="key">The configuration key that named it ("Compute:Plugins:0"), for messages.</param>
    public static IEnumerable<IComputeProviderFactory> Factories(string path, string baseDirectory, string key = "Compute:Plugins")
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ProviderUnavailableException("plugin", $"{key} is empty.", $"Name a plugin .dll there or remove the entry.");
        string name = Path.GetFileNameWithoutExtension(path);
        string full = Path.GetFullPath(path, baseDirectory);
        // Say how a relative path was read: users expect the working directory, not the settings' folder.
        string where = Path.IsPathRooted(path)
            ? $"'{full}' ({key})"
            : $"'{path}' ({key}), read relative to {baseDirectory} (the folder of appsettings.json, not the working directory) as '{full}',";
        string fixPath = Path.IsPathRooted(path)
            ? "Fix the path (appsettings.json or CNN_Compute__Plugins__N) or remove the entry."
            : $"Give an absolute path or one relative to {baseDirectory} (appsettings.json or CNN_Compute__Plugins__N), or remove the entry.";
        if (Directory.Exists(full))
            throw new ProviderUnavailableException(name, $"the plugin path {where} is a folder, not an assembly.",
                $"Name the plugin's .dll inside it (for example {Path.Combine(full, Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)) + ".dll")}).");
        if (!File.Exists(full))
            throw new ProviderUnavailableException(name, $"the plugin assembly {where} does not exist.", fixPath);
        Assembly assembly;
        try
        {
            RegularFile.Check(full);
            assembly = Loaded.GetOrAdd(full, p => new Lazy<Assembly>(() => new PluginLoadContext(p).LoadFromAssemblyPath(p))).Value;
        }
        catch (NotARegularFileException e)
        {
            throw new ProviderUnavailableException(name, $"the plugin path {where} is no assembly: {e.Problem}",
                "Point it at the plugin's .dll built for this .NET version.", e);
        }
        catch (BadImageFormatException e)
        {
            throw new ProviderUnavailableException(name, $"{where} is not a .NET assembly.",
                "Point Compute:Plugins at the plugin's .dll built for this .NET version.", e);
        }
        catch (FileLoadException e)
        {
            throw new ProviderUnavailableException(name, $"the plugin assembly {where} cannot be loaded ({FirstSentence(e.Message)}).",
                "Rebuild the plugin for this .NET version and CnnNative.Core, or remove the entry.", e);
        }
        List<Type> types;
        try
        {
            types = assembly.GetExportedTypes()
                .Where(t => typeof(IComputeProviderFactory).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                .ToList();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or ReflectionTypeLoadException)
        {
            throw new ProviderUnavailableException(name,
                $"the plugin assembly {where} needs an assembly that is neither beside it (in its deps.json) nor in cnn ({FirstSentence(e.Message)}).",
                "Publish the plugin with its dependencies (dotnet publish) and point Compute:Plugins at the published .dll.", e);
        }
        if (types.Count == 0)
            throw new ProviderUnavailableException(name,
                $"the plugin assembly {where} declares no public {nameof(IComputeProviderFactory)}.",
                "Point Compute:Plugins at an assembly with a public factory class that has a parameterless constructor.");
        return types.Select(t => Create(t, name, where)).ToList();
    }

    /// <summary>A factory instance; a missing parameterless constructor or one that throws is the plugin's fault, said so.</summary>
    private static IComputeProviderFactory Create(Type type, string name, string where)
    {
        try
        {
            return (IComputeProviderFactory)Activator.CreateInstance(type)!;
        }
        catch (MissingMethodException e)
        {
            throw new ProviderUnavailableException(name, $"the factory {type.Name} in {where} has no public parameterless constructor.",
                "Give it one (the registry creates factories itself), or remove the entry.", e);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new ProviderUnavailableException(name, $"the factory {type.Name} in {where} failed in its constructor: {FirstSentence(inner.Message)}.",
                "Fix the plugin or remove the entry; --verbose shows where it failed.", inner);
        }
    }

    private static string FirstSentence(string message)
    {
        string line = message.Split('\n')[0].Trim();
        return line.EndsWith('.') ? line[..^1] : line;
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
