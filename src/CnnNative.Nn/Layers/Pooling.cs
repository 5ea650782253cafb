using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// What max and average pooling share: a window moved by a stride over each channel, with
/// output size (H + 2P − K) / S + 1 — padding included, which the seed's Pooling forgot.
/// </summary>
public abstract class Pooling : Layer
{
    private protected Pooling(IComputeProvider provider, string name, TensorShape inputShape, Size2 window, Size2 stride, Size2 pad)
        : base(provider, name, inputShape)
    {
        OutputShape = ShapeRules.Named(name, () => OutputShapeFor(inputShape, window, stride, pad));
        Window = window;
        Stride = stride;
        Padding = pad;
    }

    /// <summary>[C, OH, OW] for a [C, H, W] input; rejects windows that do not fit and padding not smaller than the window.</summary>
    public static TensorShape OutputShapeFor(TensorShape inputShape, Size2 window, Size2 stride, Size2 pad)
    {
        if (inputShape.Rank != 3)
            throw new InvalidModelException(
                $"pooling needs image input [channels, height, width], got {inputShape}; put it before any affine or flatten layer.");
        ShapeRules.CheckWindow(window, stride, pad, "pooling window");
        try
        {
            var g = new PoolGeometry(1, inputShape[0], inputShape[1], inputShape[2], window.Height, window.Width,
                stride.Height, stride.Width, pad.Height, pad.Width);
            return new TensorShape(inputShape[0], g.OutputHeight, g.OutputWidth);
        }
        catch (InvalidGeometryException e)
        {
            throw new InvalidModelException(
                $"a {window} pooling window with stride {stride} and padding {pad} does not fit the {inputShape[1]}×{inputShape[2]} input: {ShapeRules.Reason(e)}");
        }
    }

    /// <summary>Window size PH × PW.</summary>
    public Size2 Window { get; }

    /// <summary>Step between windows, in input pixels.</summary>
    public Size2 Stride { get; }

    /// <summary>Padding on each side, in pixels (−∞ for max, zeros for average pooling); smaller than the window.</summary>
    public Size2 Padding { get; }

    private protected PoolGeometry GeometryFor(int batch) =>
        new(batch, InputShape[0], InputShape[1], InputShape[2], Window.Height, Window.Width,
            Stride.Height, Stride.Width, Padding.Height, Padding.Width);
}

/// <summary>Max pooling: padding reads as −∞, ties go to the first element in window order; backward routes dy to the winner.</summary>
public sealed class MaxPooling : Pooling
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _argmax;
    private readonly BatchTensor _dx;

    /// <summary>Max pooling of [C, H, W] samples.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    /// <exception cref="InvalidModelException">The input is not [C, H, W], or the window and padding do not fit it.</exception>
    public MaxPooling(IComputeProvider provider, string name, TensorShape inputShape, Size2 window, Size2 stride, Size2 pad = default)
        : base(provider, name, inputShape, window, stride, pad)
    {
        _y = PerSample(OutputShape);
        _argmax = PerSample(OutputShape);
        _dx = PerSample(inputShape);
    }

    /// <inheritdoc/>
    public override string Type => "maxpool";

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.MaxPool(Window, Stride, Padding) with { Name = Name };

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var y = _y.For(batch);
        Provider.MaxPoolForward(x, GeometryFor(batch), y, _argmax.For(batch));
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        if (!PropagatesGradient) return null;
        var dx = _dx.For(batch);
        Provider.MaxPoolBackward(dy, _argmax.For(batch), GeometryFor(batch), dx);
        return dx;
    }
}

/// <summary>Average pooling: the window's mean, padding counted as zeros; backward spreads dy/(PH·PW) over the window.</summary>
public sealed class AveragePooling : Pooling
{
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;

    /// <summary>Average pooling of [C, H, W] samples.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    /// <exception cref="InvalidModelException">The input is not [C, H, W], or the window and padding do not fit it.</exception>
    public AveragePooling(IComputeProvider provider, string name, TensorShape inputShape, Size2 window, Size2 stride, Size2 pad = default)
        : base(provider, name, inputShape, window, stride, pad)
    {
        _y = PerSample(OutputShape);
        _dx = PerSample(inputShape);
    }

    /// <inheritdoc/>
    public override string Type => "avgpool";

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.AvgPool(Window, Stride, Padding) with { Name = Name };

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
