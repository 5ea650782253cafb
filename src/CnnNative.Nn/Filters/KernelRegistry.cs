namespace CnnNative.Nn.Filters;

/// <summary>
/// Kernels by name, case-insensitive, in the order they were added. <see cref="Classic"/>
/// holds the seed's ten (also reachable by the seed's own names); <see cref="With"/> returns a
/// new registry with a custom kernel added, so the shared one never changes.
/// </summary>
internal sealed class KernelRegistry
{
    private readonly List<ImageKernel> _kernels;
    private readonly Dictionary<string, ImageKernel> _byName;
    private readonly Dictionary<string, string> _aliases;

    private KernelRegistry(List<ImageKernel> kernels, Dictionary<string, string> aliases)
    {
        _kernels = kernels;
        _aliases = aliases;
        _byName = new Dictionary<string, ImageKernel>(StringComparer.OrdinalIgnoreCase);
        foreach (ImageKernel kernel in kernels)
            if (!_byName.TryAdd(kernel.Name, kernel))
                throw new ArgumentException($"Two kernels are named '{kernel.Name}'; names must be unique.", nameof(kernels));
    }

    /// <summary>The ten kernels of seed 003.</summary>
    public static KernelRegistry Classic { get; } = new(
        [.. ClassicKernels.All],
        new Dictionary<string, string>(ClassicKernels.SeedNames, StringComparer.OrdinalIgnoreCase));

    /// <summary>An empty registry, for callers that want only their own kernels.</summary>
    public static KernelRegistry Empty { get; } = new([], new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Kernels in registration order (what <c>cnn filter --list</c> prints).</summary>
    public IReadOnlyList<ImageKernel> Kernels => _kernels;

    public IReadOnlyCollection<string> Names => [.. _kernels.Select(k => k.Name)];

    public bool TryGet(string name, out ImageKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out kernel!)) return true;
        return _aliases.TryGetValue(name, out string? canonical) && _byName.TryGetValue(canonical, out kernel!);
    }

    public ImageKernel Get(string name) =>
        TryGet(name, out ImageKernel kernel) ? kernel : throw new UnknownKernelException(name, Names);

    /// <summary>A new registry holding these kernels plus <paramref name="kernel"/>, whose name must be new.</summary>
    public KernelRegistry With(ImageKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (TryGet(kernel.Name, out _))
            throw new ArgumentException($"A kernel named '{kernel.Name}' already exists; give the custom kernel another name.", nameof(kernel));
        return new KernelRegistry([.. _kernels, kernel], new Dictionary<string, string>(_aliases, StringComparer.OrdinalIgnoreCase));
    }
}
