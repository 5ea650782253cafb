using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Layers run one after another as one layer, for grouping (a stage of residual blocks:
/// parameters named "stage1.block1.conv1.W"). In a model file:
/// <c>{ "type": "sequential", "name": "stage1", "layers": [ … ] }</c>.
/// </summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;
    private readonly bool _acceptsAnyLayout;

    /// <summary>Chains <paramref name="layers"/> (at least one, each accepting the previous one's output, all on one provider) under the name <paramref name="name"/>.</summary>
    public Sequential(string name, IEnumerable<Layer> layers)
        : this(name, Materialise(name, layers))
    {
    }

    private Sequential(string name, Layer[] layers) : base(layers[0].Provider, name, layers[0].InputShape)
    {
        LayerChain.CheckConnected(layers, $"Sequential '{name}'");
        foreach (var layer in layers) AddChild(layer);
        _layers = layers;
        _acceptsAnyLayout = layers[0].Accepts(new TensorShape(InputShape.Length));
        OutputShape = layers[^1].OutputShape;
    }

    private static Layer[] Materialise(string name, IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var array = layers.ToArray();
        if (array.Length == 0) throw new InvalidModelException($"Sequential '{name}' needs at least one layer.");
        foreach (var layer in array) ArgumentNullException.ThrowIfNull(layer, nameof(layers));
        return array;
    }

    /// <inheritdoc/>
    public override string Type => LayerTypes.Sequential;

    /// <summary>The layers in the order they run.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc/>
    public override LayerSpec Spec => new() { Type = Type, Name = Name, Layers = [.. _layers.Select(l => l.Spec)] };

    /// <inheritdoc/>
    protected override bool AcceptsAnyLayout => _acceptsAnyLayout;

    /// <inheritdoc/>
    protected override void OnPropagatesGradientChanged(bool propagates) => _layers[0].PropagatesGradient = propagates;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context) => LayerChain.Forward(_layers, x, context);

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context) => LayerChain.Backward(_layers, dy);
}
