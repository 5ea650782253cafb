using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A residual block: y = body(x) + shortcut(x), where the shortcut is the identity when it has
/// no layers, or a projection (typically a strided 1×1 convolution and batch-norm) when the
/// body changes the shape. Backward sends dy down both paths and adds their input gradients.
/// Body and shortcut layers are children of the block, so their parameters are named
/// "block1.conv1.W", "block1.shortcut.W"; their names must be unique within the block.
/// In a model file:
/// <c>{ "type": "residual", "body": [ … ], "shortcut": [ … ] }</c> (shortcut optional).
/// <para>No activation follows the sum; add one after the block (a ReLU in a classic ResNet).</para>
/// </summary>
public sealed class Residual : Layer
{
    private readonly Layer[] _body;
    private readonly Layer[] _bodyHead; // the body without its last two layers: what runs before a fused conv → batch-norm
    private readonly Layer[] _shortcut;
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>
    /// A block named <paramref name="name"/> adding <paramref name="body"/>'s output to
    /// <paramref name="shortcut"/>'s (the input itself when null or empty). Both paths take the
    /// body's input shape and must produce the same shape.
    /// </summary>
    public Residual(string name, IEnumerable<Layer> body, IEnumerable<Layer>? shortcut = null)
        : this(name, PathOf(name, body, "body"), shortcut is null ? [] : [.. shortcut])
    {
    }

    private Residual(string name, Layer[] body, Layer[] shortcut) : base(body[0].Provider, name, body[0].InputShape)
    {
        string where = $"Residual block '{name}'";
        LayerChain.CheckConnected(body, where + " (body)");
        LayerChain.CheckConnected(shortcut, where + " (shortcut)");
        var bodyOut = body[^1].OutputShape;
        if (shortcut.Length == 0)
        {
            if (bodyOut != InputShape)
                throw new InvalidModelException(
                    $"{where}: the body turns {InputShape} into {bodyOut}, so the identity shortcut cannot be added; give the block a \"shortcut\" (for example a 1×1 conv with the body's stride and filters) that produces {bodyOut}.");
        }
        else
        {
            foreach (var layer in shortcut) ArgumentNullException.ThrowIfNull(layer, nameof(shortcut));
            if (!shortcut[0].Accepts(InputShape))
                throw new InvalidModelException($"{where}: the shortcut's first layer '{shortcut[0].Name}' expects {shortcut[0].InputShape} but the block's input is {InputShape}.");
            if (shortcut[^1].OutputShape != bodyOut)
                throw new InvalidModelException(
                    $"{where}: the body produces {bodyOut} but the shortcut produces {shortcut[^1].OutputShape}; both paths must give the same shape to be added.");
        }
        foreach (var layer in body) AddChild(layer);
        foreach (var layer in shortcut) AddChild(layer);
        _body = body;
        _bodyHead = body[..^Math.Min(2, body.Length)];
        _shortcut = shortcut;
        OutputShape = bodyOut;
        _y = PerSample(OutputShape);
        _dx = PerSample(InputShape);
    }

    private static Layer[] PathOf(string name, IEnumerable<Layer> layers, string what)
    {
        ArgumentNullException.ThrowIfNull(layers, what);
        var array = layers.ToArray();
        if (array.Length == 0) throw new InvalidModelException($"Residual block '{name}' needs at least one {what} layer.");
        foreach (var layer in array) ArgumentNullException.ThrowIfNull(layer, what);
        return array;
    }

    /// <inheritdoc/>
    public override string Type => LayerTypes.Residual;

    /// <summary>The main path.</summary>
    public IReadOnlyList<Layer> Body => _body;

    /// <summary>The projection path; empty for an identity shortcut.</summary>
    public IReadOnlyList<Layer> Shortcut => _shortcut;

    /// <inheritdoc/>
    public override LayerSpec Spec => new()
    {
        Type = Type,
        Name = Name,
        Body = [.. _body.Select(l => l.Spec)],
        Shortcut = _shortcut.Length == 0 ? null : [.. _shortcut.Select(l => l.Spec)],
    };

    // Both paths need dL/dx whenever the block does (their sum is the block's input gradient).
    /// <inheritdoc/>
    protected override void OnPropagatesGradientChanged(bool propagates)
    {
        _body[0].PropagatesGradient = propagates;
        if (_shortcut.Length > 0) _shortcut[0].PropagatesGradient = propagates;
    }

    /// <summary>
    /// Whether inference can fold this block's sum (and a ReLU after it) into its body's last
    /// convolution: the body ends in a convolution and a per-channel batch-norm.
    /// </summary>
    internal bool FusesSum => _body.Length >= 2 && _body[^2] is Convolution && _body[^1] is BatchNormalization { PerActivation: false };

    /// <summary>
    /// Inference with the sum folded in (<see cref="FusesSum"/>): the shortcut runs first, then the
    /// body, whose last convolution applies its batch-norm, adds the shortcut and (when
    /// <paramref name="relu"/>, the ReLU that follows the block) the ReLU in one output pass.
    /// </summary>
    internal Tensor ForwardFused(Tensor x, StepContext context, bool relu)
    {
        _fusedRelu = relu;
        try
        {
            return Forward(x, context);
        }
        finally
        {
            _fusedRelu = null;
        }
    }

    private bool? _fusedRelu;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        if (_fusedRelu is bool relu && !context.Training)
        {
            var shortcut = _shortcut.Length == 0 ? x : LayerChain.Forward(_shortcut, x, context);
            var h = LayerChain.Forward(_bodyHead, x, context);
            return ((Convolution)_body[^2]).ForwardFused(h, context, (BatchNormalization)_body[^1], relu, shortcut);
        }
        var main = LayerChain.Forward(_body, x, context);
        var side = _shortcut.Length == 0 ? x : LayerChain.Forward(_shortcut, x, context);
        var y = _y.For(batch);
        Provider.Add(main, side, y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        var main = LayerChain.Backward(_body, dy);
        var side = _shortcut.Length == 0 ? dy : LayerChain.Backward(_shortcut, dy);
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.Add(main!, side!, dx);
        return dx;
    }
}
