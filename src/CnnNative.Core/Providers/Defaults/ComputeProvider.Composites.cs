namespace CnnNative.Core;

// Composite defaults: operations written with other operations of this provider, on the
// device, so a new provider runs them once its minimal core works (see docs/providers.md).
// They are exact in real arithmetic; in float they may round differently from a fused kernel
// by an ulp or so. A provider overrides any of them with its own kernel for speed.
public abstract partial class ComputeProvider
{
    private ScratchTensors? _scratch;

    private ScratchTensors Scratch => _scratch ??= new ScratchTensors(this);

    /// <summary>Default: <see cref="Im2ColCore"/> with a 1×1 window over a [batch, rows, 1, cols] image is exactly this transpose.</summary>
    protected virtual void BatchedTransposeCore(Tensor src, int batch, int rows, int cols, Tensor dst) =>
        Im2ColCore(src, new ConvGeometry(batch, rows, 1, cols, 1, 1), dst);

    /// <summary>Default: a copy and an <see cref="AxpyCore"/> (or a <see cref="ScaleCore"/> by 2 when all three are one tensor).</summary>
    protected virtual void AddCore(Tensor a, Tensor b, Tensor c)
    {
        bool intoA = ReferenceEquals(a.Buffer, c.Buffer), intoB = ReferenceEquals(b.Buffer, c.Buffer);
        if (intoA && intoB) ScaleCore(c, 2f, c);
        else if (intoA) AxpyCore(1f, b, c);
        else if (intoB) AxpyCore(1f, a, c);
        else
        {
            CopyCore(a, c, c.Length);
            AxpyCore(1f, b, c);
        }
    }

    /// <summary>Default: x += ones[rows]·bias, one rank-1 GEMM.</summary>
    protected virtual void AddRowBiasCore(Tensor x, Tensor bias, int rows, int cols) =>
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, rows, cols, 1, 1f, Scratch.Ones(rows), bias, 1f, x);

    /// <summary>Default: db = onesᵀ·dy, one GEMM with M = 1.</summary>
    protected virtual void SumRowsCore(Tensor dy, Tensor db, int rows, int cols) =>
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, 1, cols, rows, 1f, Scratch.Ones(rows), dy, 0f, db);

    /// <summary>Default: the bias broadcast over [C, S] by one GEMM, then added to every image by another.</summary>
    protected virtual void AddChannelBiasCore(Tensor x, Tensor bias, int batch, int channels, int spatial)
    {
        Tensor ones = Scratch.Ones(Math.Max(batch, spatial));
        Tensor broadcast = Scratch.Get(ScratchTensors.Bias, channels * spatial);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, channels, spatial, 1, 1f, bias, ones, 0f, broadcast);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, batch, channels * spatial, 1, 1f, ones, broadcast, 1f, x);
    }

    /// <summary>Default: sum over the batch (a GEMM with M = 1), then over each channel's positions (a GEMM with N = 1).</summary>
    protected virtual void SumChannelsCore(Tensor dy, Tensor db, int batch, int channels, int spatial)
    {
        Tensor ones = Scratch.Ones(Math.Max(batch, spatial));
        Tensor perPosition = Scratch.Get(ScratchTensors.Bias, channels * spatial);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, 1, channels * spatial, batch, 1f, ones, dy, 0f, perPosition);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, channels, 1, spatial, 1f, perPosition, ones, 0f, db);
    }

    /// <summary>Default: im2col, col·Wᵀ, then the transpose with the bias added (the layer's classic path).</summary>
    protected virtual void ConvolutionForwardCore(Tensor x, in ConvGeometry geometry, Tensor weights, Tensor bias, int filters, Tensor y)
    {
        Tensor col = Scratch.Get(ScratchTensors.Columns, geometry.ColumnLength);
        Tensor product = Scratch.Get(ScratchTensors.Product, geometry.ColumnRows * filters);
        Im2ColCore(x, geometry, col);
        GemmCore(Transpose.NoTranspose, Transpose.Transpose, geometry.ColumnRows, filters, geometry.PatchSize, 1f, col, weights, 0f, product);
        BatchedTransposeAddChannelBiasCore(product, geometry.Batch, geometry.OutputHeight * geometry.OutputWidth, filters, bias, y);
    }

    /// <summary>Default: <see cref="ConvolutionForwardCore"/>, then batch normalisation, the residual and the ReLU in place on y.</summary>
    protected virtual void ConvolutionForwardBatchNormCore(Tensor x, in ConvGeometry geometry, Tensor weights, Tensor bias,
        Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float epsilon, bool relu, int filters, Tensor y, Tensor? residual)
    {
        ConvolutionForwardCore(x, geometry, weights, bias, filters, y);
        var channels = new BatchNormGeometry(geometry.Batch, filters, geometry.OutputHeight * geometry.OutputWidth);
        BatchNormForwardInferenceCore(y, channels, gamma, beta, runningMean, runningVar, epsilon, y);
        if (residual is not null) AddCore(y, residual, y);
        if (relu) ReluForwardCore(y, y);
    }

    /// <summary>Default: dy to [N·OH·OW, F] with the bias gradient, im2col, then dyᵀ·col.</summary>
    protected virtual void ConvolutionWeightGradientCore(Tensor dy, Tensor x, in ConvGeometry geometry, Tensor dWeights, Tensor dBias, int filters)
    {
        Tensor dyRows = Scratch.Get(ScratchTensors.Product, geometry.ColumnRows * filters);
        Tensor col = Scratch.Get(ScratchTensors.Columns, geometry.ColumnLength);
        BatchedTransposeSumChannelsCore(dy, geometry.Batch, filters, geometry.OutputHeight * geometry.OutputWidth, dyRows, dBias);
        Im2ColCore(x, geometry, col);
        GemmCore(Transpose.Transpose, Transpose.NoTranspose, filters, geometry.PatchSize, geometry.ColumnRows, 1f, dyRows, col, 0f, dWeights);
    }

    /// <summary>Default: dy to [N·OH·OW, F], times W gives the im2col-shaped gradient, and col2im sums it into dx.</summary>
    protected virtual void ConvolutionInputGradientCore(Tensor dy, in ConvGeometry geometry, Tensor weights, int filters, Tensor dx)
    {
        Tensor dyRows = Scratch.Get(ScratchTensors.Product, geometry.ColumnRows * filters);
        Tensor col = Scratch.Get(ScratchTensors.Columns, geometry.ColumnLength);
        BatchedTransposeCore(dy, geometry.Batch, filters, geometry.OutputHeight * geometry.OutputWidth, dyRows);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, geometry.ColumnRows, geometry.PatchSize, filters, 1f, dyRows, weights, 0f, col);
        Col2ImCore(col, geometry, dx);
    }

    /// <summary>
    /// Default: the window as an im2col matrix, which is also [N·OH·OW·C, PH·PW] (a patch keeps
    /// each channel's window contiguous); times ones/(PH·PW) gives [N, OH·OW, C], transposed to NCHW.
    /// </summary>
    protected virtual void AvgPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y)
    {
        ConvGeometry windows = Windows(geometry);
        int window = geometry.PoolHeight * geometry.PoolWidth, outputs = geometry.OutputLength;
        Tensor col = Scratch.Get(ScratchTensors.Columns, windows.ColumnLength);
        Tensor means = Scratch.Get(ScratchTensors.Product, outputs);
        Im2ColCore(x, windows, col);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, outputs, 1, window, 1f / window, col, Scratch.Ones(window), 0f, means);
        BatchedTransposeCore(means, geometry.Batch, geometry.OutputHeight * geometry.OutputWidth, geometry.Channels, y);
    }

    /// <summary>Default: dy to [N·OH·OW·C], spread over each window by a rank-1 GEMM, then col2im sums the overlaps.</summary>
    protected virtual void AvgPoolBackwardCore(Tensor dy, in PoolGeometry geometry, Tensor dx)
    {
        ConvGeometry windows = Windows(geometry);
        int window = geometry.PoolHeight * geometry.PoolWidth, outputs = geometry.OutputLength;
        Tensor dyRows = Scratch.Get(ScratchTensors.Product, outputs);
        Tensor col = Scratch.Get(ScratchTensors.Columns, windows.ColumnLength);
        BatchedTransposeCore(dy, geometry.Batch, geometry.Channels, geometry.OutputHeight * geometry.OutputWidth, dyRows);
        GemmCore(Transpose.NoTranspose, Transpose.NoTranspose, outputs, window, 1, 1f / window, dyRows, Scratch.Ones(window), 0f, col);
        Col2ImCore(col, windows, dx);
    }

    private static ConvGeometry Windows(in PoolGeometry g) =>
        new(g.Batch, g.Channels, g.Height, g.Width, g.PoolHeight, g.PoolWidth, g.StrideHeight, g.StrideWidth, g.PadHeight, g.PadWidth);

    /// <summary>Default: param·(1 − lr·wd), then −lr·grad, with <see cref="ScaleCore"/> and <see cref="AxpyCore"/>.</summary>
    protected virtual void SgdStepCore(Tensor param, Tensor grad, float learningRate, float weightDecay)
    {
        if (weightDecay != 0f) ScaleCore(param, 1f - learningRate * weightDecay, param);
        AxpyCore(-learningRate, grad, param);
    }

    /// <summary>Default: v·momentum − lr·grad − lr·wd·param, then param += v.</summary>
    protected virtual void MomentumStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    {
        UpdateVelocity(param, grad, velocity, learningRate, momentum, weightDecay);
        AxpyCore(1f, velocity, param);
    }

    /// <summary>Default: the velocity as for momentum (from the old parameters), then param·(1 − (1+m)·lr·wd) + m²·v − (1+m)·lr·grad.</summary>
    protected virtual void NesterovStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    {
        UpdateVelocity(param, grad, velocity, learningRate, momentum, weightDecay);
        float step = (1f + momentum) * learningRate;
        if (weightDecay != 0f) ScaleCore(param, 1f - step * weightDecay, param);
        AxpyCore(momentum * momentum, velocity, param);
        AxpyCore(-step, grad, param);
    }

    private void UpdateVelocity(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    {
        ScaleCore(velocity, momentum, velocity);
        AxpyCore(-learningRate, grad, velocity);
        if (weightDecay != 0f) AxpyCore(-learningRate * weightDecay, param, velocity);
    }
}
