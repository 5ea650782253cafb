using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The seed's Convolution (im2col + GEMM) with W [F, C, KH, KW] and b [F], any stride,
/// padding and rectangular kernel. Following the contract's im2col layout:
/// forward  col = im2col(x) [N·OH·OW, C·KH·KW]; rows = col·Wᵀ [N, OH·OW, F] (one GEMM, M = N·OH·OW);
///          y = transpose(rows) [N, F, OH, OW] + b per channel (one fused pass).
/// backward dyT = transpose(dy) [N·OH·OW, F] and db = Σ_{n,p} dy (one fused pass); dW = dyTᵀ·col; dcol = dyT·W; dx = col2im(dcol).
/// The rows buffer serves both rows and dyT, and dcol overwrites col once dW is done, so a
/// layer holds two batch-sized scratch matrices, not four.
/// <para>When the provider prefers it for the geometry (<see cref="IComputeProvider.PrefersDirectConvolution"/>:
/// small patches such as 1→30 5×5, and 3×3 stride-1 layers on the managed provider), all three
/// passes go to the provider's own operations (<see cref="IComputeProvider.ConvolutionForward"/>,
/// <see cref="IComputeProvider.ConvolutionWeightGradient"/>, <see cref="IComputeProvider.ConvolutionInputGradient"/>),
/// which choose their algorithm (direct, Winograd, im2col) per geometry; the weight gradient reads the
/// forward's input again (kept by reference, as Affine keeps its x), and the layer's own scratch
/// matrices are never allocated.</para>
/// </summary>
public sealed class Convolution : Layer
{
    private readonly int _filters;
    private readonly Size2 _kernel;
    private readonly Size2 _stride;
    private readonly Size2 _pad;
    private readonly int _outH;
    private readonly int _outW;
    private readonly int _patch;
    private readonly BatchTensor _col;
    private readonly BatchTensor _rows;
    private readonly BatchTensor _y;
    private readonly BatchTensor _dx;
    private Tensor? _x;
    private bool _direct;
    private BatchNormalization? _foldedNorm;
    private bool _foldedRelu;
    private Tensor? _foldedResidual;

    /// <summary>A 2-D convolution of <paramref name="filters"/> output channels.</summary>
    /// <param name="provider">Where W, b and the batch buffers are allocated.</param>
    /// <param name="name">Unique among its siblings, no '.'; the parameters become "name.W" and "name.b".</param>
    /// <param name="inputShape">One sample's shape [C, H, W], without the batch dimension.</param>
    /// <param name="filters">Output channels F.</param>
    /// <param name="kernel">Window size (an int converts to a square).</param>
    /// <param name="stride">Step between windows, in pixels.</param>
    /// <param name="pad">Zero padding on each side, in pixels.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains '.'.</exception>
    /// <exception cref="InvalidModelException">The input is not [C, H, W], the window does not fit the padded input, or a size exceeds the model limits.</exception>
    public Convolution(IComputeProvider provider, string name, TensorShape inputShape, int filters,
        Size2 kernel, Size2 stride, Size2 pad)
        : base(provider, name, inputShape)
    {
        OutputShape = ShapeRules.Named(name, () => OutputShapeFor(inputShape, filters, kernel, stride, pad));
        _filters = filters;
        _kernel = kernel;
        _stride = stride;
        _pad = pad;
        _outH = OutputShape[1];
        _outW = OutputShape[2];
        _patch = inputShape[0] * kernel.Height * kernel.Width;
        Weights = AddParameter("W", new TensorShape(filters, inputShape[0], kernel.Height, kernel.Width), ParameterRole.Weight, fanIn: _patch);
        Bias = AddParameter("b", new TensorShape(filters), ParameterRole.Bias, fanIn: _patch);
        int positions = _outH * _outW;
        _col = Rows(positions, _patch);
        _rows = Rows(positions, filters);
        _y = PerSample(OutputShape);
        _dx = PerSample(inputShape);
    }

    /// <summary>[F, OH, OW] for a [C, H, W] input, with OH = (H + 2P − KH) / S + 1; rejects windows that do not fit and absurd sizes.</summary>
    public static TensorShape OutputShapeFor(TensorShape inputShape, int filters, Size2 kernel, Size2 stride, Size2 pad)
    {
        if (inputShape.Rank != 3)
            throw new InvalidModelException(
                $"a convolution needs image input [channels, height, width], got {inputShape}; put it before any affine or flatten layer.");
        if (filters <= 0 || filters > ModelLimits.MaxWidth)
            throw new InvalidModelException($"filters must be between 1 and {ModelLimits.MaxWidth}, got {filters}.");
        ShapeRules.CheckWindow(kernel, stride, pad, "kernel");
        ConvGeometry g;
        try
        {
            g = new ConvGeometry(1, inputShape[0], inputShape[1], inputShape[2], kernel.Height, kernel.Width,
                stride.Height, stride.Width, pad.Height, pad.Width);
        }
        catch (InvalidGeometryException e)
        {
            throw new InvalidModelException(
                $"a {kernel} kernel with stride {stride} and padding {pad} does not fit the {inputShape[1]}×{inputShape[2]} input: {ShapeRules.Reason(e)}");
        }
        long weights = (long)filters * g.PatchSize;
        if (weights > ModelLimits.MaxTensorElements)
            throw new InvalidModelException($"{filters} filters of {g.PatchSize} values would hold {weights} weights, more than the limit of {ModelLimits.MaxTensorElements}.");
        long output = (long)filters * g.OutputHeight * g.OutputWidth;
        if (output > ModelLimits.MaxTensorElements || (long)g.ColumnRows * g.PatchSize > ModelLimits.MaxTensorElements)
            throw new InvalidModelException($"the output ({filters}×{g.OutputHeight}×{g.OutputWidth} per sample) or its im2col matrix is larger than {ModelLimits.MaxTensorElements} values; use fewer filters or a larger stride.");
        return new TensorShape(filters, g.OutputHeight, g.OutputWidth);
    }

    /// <inheritdoc/>
    public override string Type => "conv";

    /// <inheritdoc/>
    public override LayerSpec Spec => LayerSpec.Conv(_filters, _kernel, _stride, _pad) with { Name = Name, Init = Init };

    /// <summary>W [F, C, KH, KW] — the filters (a report shows the first layer's).</summary>
    public Parameter Weights { get; }

    /// <summary>b [F].</summary>
    public Parameter Bias { get; }

    /// <summary>Output channels F.</summary>
    public int Filters => _filters;

    /// <summary>Window size KH × KW.</summary>
    public Size2 Kernel => _kernel;

    /// <summary>Step between windows, in input pixels.</summary>
    public Size2 Stride => _stride;

    /// <summary>Zero padding added on each side, in pixels.</summary>
    public Size2 Padding => _pad;

    private ConvGeometry GeometryFor(int batch) =>
        new(batch, InputShape[0], InputShape[1], InputShape[2], _kernel.Height, _kernel.Width,
            _stride.Height, _stride.Width, _pad.Height, _pad.Width);

    /// <summary>
    /// Inference forward with the following batch-norm layer (and ReLU) folded in: one
    /// <see cref="IComputeProvider.ConvolutionForwardBatchNorm"/> call whose result is this
    /// layer's output where the provider claims the geometry (<see cref="IComputeProvider.PrefersDirectConvolution"/>),
    /// else the im2col path with the batch-norm, residual and ReLU applied in place; <paramref name="norm"/>
    /// (and the ReLU layer) do not run. <paramref name="residual"/> (a residual block's shortcut) is added before the ReLU.
    /// </summary>
    internal Tensor ForwardFused(Tensor x, StepContext context, BatchNormalization norm, bool relu, Tensor? residual = null)
    {
        _foldedNorm = norm;
        _foldedRelu = relu;
        _foldedResidual = residual;
        try
        {
            return Forward(x, context);
        }
        finally
        {
            _foldedNorm = null;
            _foldedResidual = null;
        }
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, int batch, StepContext context)
    {
        var g = GeometryFor(batch);
        var y = _y.For(batch);
        _direct = Provider.PrefersDirectConvolution(g);
        if (_foldedNorm is { } norm && !context.Training)
        {
            if (_direct)
            {
                Provider.ConvolutionForwardBatchNorm(x, g, Weights.Value, Bias.Value, norm.Gamma.Value, norm.Beta.Value,
                    norm.RunningMean, norm.RunningVar, norm.Epsilon, _foldedRelu, y, _foldedResidual);
                return y;
            }
            // The provider does not claim this geometry (its own convolution kernel may be correct but
            // slow: OpenCL's is), so the layer's im2col path runs, then the folded layers in place.
            ForwardThroughGemm(x, g, batch, y);
            Provider.BatchNormForwardInference(y, new BatchNormGeometry(batch, _filters, _outH * _outW), norm.Gamma.Value, norm.Beta.Value,
                norm.RunningMean, norm.RunningVar, norm.Epsilon, y);
            if (_foldedResidual is not null) Provider.Add(y, _foldedResidual, y);
            if (_foldedRelu) Provider.ReluForward(y, y);
            return y;
        }
        if (_direct)
        {
            Provider.ConvolutionForward(x, g, Weights.Value, Bias.Value, y);
            _x = x;
            return y;
        }
        ForwardThroughGemm(x, g, batch, y);
        return y;
    }

    /// <summary>im2col, col·Wᵀ, then the transpose to NCHW with the bias added.</summary>
    private void ForwardThroughGemm(Tensor x, in ConvGeometry g, int batch, Tensor y)
    {
        var col = _col.For(batch);
        var rows = _rows.For(batch);
        Provider.Im2Col(x, g, col);
        Provider.Gemm(Transpose.NoTranspose, Transpose.Transpose, g.ColumnRows, _filters, _patch, 1f, col, Weights.Value, 0f, rows);
        Provider.BatchedTransposeAddChannelBias(rows, batch, _outH * _outW, _filters, Bias.Value, y);
    }

    /// <inheritdoc/>
    protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context)
    {
        var g = GeometryFor(batch);
        int m = g.ColumnRows;
        Tensor dyT;
        if (_direct)
        {
            Provider.ConvolutionWeightGradient(dy, _x!, g, Weights.Gradient, Bias.Gradient);
            if (!PropagatesGradient) return null;
            var dxDirect = _dx.For(batch);
            Provider.ConvolutionInputGradient(dy, g, Weights.Value, _filters, dxDirect);
            return dxDirect;
        }
        dyT = _rows.For(batch);
        Provider.BatchedTransposeSumChannels(dy, batch, _filters, _outH * _outW, dyT, Bias.Gradient);
        Provider.Gemm(Transpose.Transpose, Transpose.NoTranspose, _filters, _patch, m, 1f, dyT, _col.For(batch), 0f, Weights.Gradient);
        if (!PropagatesGradient) return null;
        // col is no longer needed: dcol = dyT·W overwrites it.
        var col = _col.For(batch);
        Provider.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, m, _patch, _filters, 1f, dyT, Weights.Value, 0f, col);
        var dx = _dx.For(batch);
        Provider.Col2Im(col, g, dx);
        return dx;
    }
}
