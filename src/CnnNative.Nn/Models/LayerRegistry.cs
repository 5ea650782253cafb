using System.Collections.Concurrent;
using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>What a registered layer factory receives: where to build, under which name, for which input, from which model-file entry.</summary>
/// <param name="Provider">The network's provider.</param>
/// <param name="Name">The layer's name (given in the file or type + running number).</param>
/// <param name="InputShape">One input sample's shape.</param>
/// <param name="Spec">The model-file entry; read your settings with <see cref="LayerSpec.GetNumber"/> or <see cref="LayerSpec.Settings"/>.</param>
public sealed record LayerBuildContext(IComputeProvider Provider, string Name, TensorShape InputShape, LayerSpec Spec);

/// <summary>
/// Layer types registered in code by name, so model files (and checkpoints, which store the
/// model file) can use them next to the built-in ones:
/// <code>
/// LayerRegistry.Default.Register("swish", c => new Swish(c.Provider, c.Name, c.InputShape, (float)c.Spec.GetNumber("beta", 1)),
///     settings: ["beta"]);
/// // { "type": "swish", "beta": 1.5 } in a model file
/// </code>
/// Built-in names cannot be taken; a name can be registered once. The planner (which checks a
/// model without allocating) asks <c>outputShape</c> for the layer's output (default: its input
/// shape, as for an activation) and <c>parameterCount</c> for the summary (default 0); the
/// network checks the built layer against them.
/// </summary>
public sealed class LayerRegistry
{
    private readonly ConcurrentDictionary<string, Registration> _types = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry <see cref="Network.Build(ModelSpec, TensorShape, int, IComputeProvider, ulong, LayerRegistry?)"/> and <see cref="ModelSpec.Validate(TensorShape, int, LayerRegistry?)"/> use when given none.</summary>
    public static LayerRegistry Default { get; } = new();

    /// <summary>Registers <paramref name="type"/> (letters, digits, '-' and '_'; not a built-in name).</summary>
    /// <param name="type">The model-file type name.</param>
    /// <param name="create">Builds the layer; it must produce <paramref name="outputShape"/>'s shape.</param>
    /// <param name="settings">The settings the type takes (besides "type" and "name"); others are refused.</param>
    /// <param name="outputShape">The output shape for an input shape and an entry, without a provider (default: the input shape).</param>
    /// <param name="parameterCount">The number of trainable values, for the summary (default 0).</param>
    public void Register(string type, Func<LayerBuildContext, Layer> create, IReadOnlyList<string>? settings = null,
        Func<TensorShape, LayerSpec, TensorShape>? outputShape = null, Func<TensorShape, LayerSpec, long>? parameterCount = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(create);
        string key = type.Trim();
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"A layer type name needs letters, digits, '-' or '_', got '{type}'.", nameof(type));
        if (LayerTypes.Canonical(key) is not null)
            throw new ArgumentException($"'{key}' is a built-in layer type; register your layer under another name.", nameof(type));
        var registration = new Registration(key, create, settings ?? [], outputShape ?? ((input, _) => input), parameterCount ?? ((_, _) => 0));
        if (!_types.TryAdd(key, registration))
            throw new ArgumentException($"The layer type '{key}' is already registered.", nameof(type));
    }

    /// <summary>Whether <paramref name="type"/> is registered here.</summary>
    public bool Contains(string type) => _types.ContainsKey(type.Trim());

    /// <summary>The registered type names.</summary>
    public IReadOnlyList<string> Names => [.. _types.Keys.Order(StringComparer.Ordinal)];

    internal Registration? Find(string type) => _types.TryGetValue(type.Trim(), out var r) ? r : null;

    internal sealed record Registration(string Type, Func<LayerBuildContext, Layer> Create, IReadOnlyList<string> Settings,
        Func<TensorShape, LayerSpec, TensorShape> OutputShape, Func<TensorShape, LayerSpec, long> ParameterCount);
}
