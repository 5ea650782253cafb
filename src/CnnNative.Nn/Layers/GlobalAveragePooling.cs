using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// [C, H, W] → [C]: each channel's mean over the whole feature map, an average pool whose
/// window is the map. Its output is already flat, so an Affine head can follow directly.
/// </summary>
public sealed class GlobalAveragePooling : Layer
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>Averages each channel of [C, H, W] samples to one value.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    /// <exception cref="InvalidModelException"><paramref name="inputShape"/> is not [C, H, W].</exception>
    public GlobalAveragePooling(IComputeProvider provider, string name, TensorShape inputShape)
        : base(provider, name, inputShape)
    {
        OutputShape = ShapeRules.Named(name, () => OutputShapeFor(inputShape));
        _y = PerSample(OutputShape);
        _dx = PerSample(inputShape);
    }

    /// <summary>[C] for a [C, H, W] input.</summary>
    public static TensorShape OutputShapeFor(TensorShape inputShape)
    {
        if (inputShape.Rank != 3)
            throw new InvalidModelException(
                $"global average pooling needs image input [channels, height, width], got {inputShape}.");
        return new TensorShape(inputShape[0]);
    }

    /// <inheritdoc/>
    public override string Type => "globalavgpool";

    // The whole map is one window; stride = map size keeps the geometry valid and yields 1×1.
    private PoolGeometry GeometryFor(int batch) =>
        new(batch, InputShape[0], InputShape[1], InputShape[2], InputShape[1], InputShape[2], InputShape[1], InputShape[2]);

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.AvgPoolForward(x, GeometryFor(batch), y);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.AvgPoolBackward(dy, GeometryFor(batch), dx);
        return dx;
    }
}
