namespace CnnNative.Core;

// im2col/col2im and pooling: sizes come from the geometry records, which already rejected
// windows that do not fit.
public abstract partial class ComputeProvider
{
    /// <inheritdoc/>
    public void Im2Col(Tensor x, in ConvGeometry geometry, Tensor col)
    {
        Own(x, nameof(x)); Own(col, nameof(col));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(col, geometry.ColumnLength, nameof(col));
        Distinct(x, col, nameof(x), nameof(col));
        Im2ColCore(x, geometry, col);
    }

    /// <inheritdoc/>
    public void Col2Im(Tensor col, in ConvGeometry geometry, Tensor dx)
    {
        Own(col, nameof(col)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(col, geometry.ColumnLength, nameof(col));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(col, dx, nameof(col), nameof(dx));
        Col2ImCore(col, geometry, dx);
    }

    /// <summary>No by default: im2col + GEMM is the general path.</summary>
    public virtual bool PrefersDirectConvolution(in ConvGeometry geometry) => false;

    /// <inheritdoc/>
    public void ConvolutionForward(Tensor x, in ConvGeometry geometry, Tensor weights, Tensor bias, Tensor y)
    {
        Own(x, nameof(x)); Own(weights, nameof(weights)); Own(bias, nameof(bias)); Own(y, nameof(y));
        Constructed(geometry.Batch > 0, nameof(geometry));
        int filters = bias.Length;
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(weights, (long)filters * geometry.PatchSize, nameof(weights));
        NeedLength(y, (long)geometry.ColumnRows * filters, nameof(y));
        Distinct(x, y, nameof(x), nameof(y));
        Distinct(weights, y, nameof(weights), nameof(y));
        Distinct(bias, y, nameof(bias), nameof(y));
        ConvolutionForwardCore(x, geometry, weights, bias, filters, y);
    }

    /// <inheritdoc/>
    public void ConvolutionForwardBatchNorm(Tensor x, in ConvGeometry geometry, Tensor weights, Tensor bias,
        Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float epsilon, bool relu, Tensor y, Tensor? residual = null)
    {
        Own(x, nameof(x)); Own(weights, nameof(weights)); Own(bias, nameof(bias)); Own(y, nameof(y));
        if (residual is not null)
        {
            Own(residual, nameof(residual));
            SameLength(residual, y, nameof(residual), nameof(y));
            Distinct(residual, y, nameof(residual), nameof(y));
        }
        Constructed(geometry.Batch > 0, nameof(geometry));
        int filters = bias.Length;
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(weights, (long)filters * geometry.PatchSize, nameof(weights));
        NeedLength(y, (long)geometry.ColumnRows * filters, nameof(y));
        var channels = new BatchNormGeometry(geometry.Batch, filters, geometry.OutputHeight * geometry.OutputWidth);
        PerChannel(channels, (gamma, nameof(gamma)), (beta, nameof(beta)), (runningMean, nameof(runningMean)), (runningVar, nameof(runningVar)));
        BatchNormScalars(0f, epsilon);
        Distinct(x, y, nameof(x), nameof(y));
        Distinct(weights, y, nameof(weights), nameof(y));
        Distinct(bias, y, nameof(bias), nameof(y));
        Distinct(gamma, y, nameof(gamma), nameof(y));
        Distinct(beta, y, nameof(beta), nameof(y));
        Distinct(runningMean, y, nameof(runningMean), nameof(y));
        Distinct(runningVar, y, nameof(runningVar), nameof(y));
        ConvolutionForwardBatchNormCore(x, geometry, weights, bias, gamma, beta, runningMean, runningVar, epsilon, relu, filters, y, residual);
    }

    /// <inheritdoc/>
    public void ConvolutionWeightGradient(Tensor dy, Tensor x, in ConvGeometry geometry, Tensor dWeights, Tensor dBias)
    {
        Own(dy, nameof(dy)); Own(x, nameof(x)); Own(dWeights, nameof(dWeights)); Own(dBias, nameof(dBias));
        Constructed(geometry.Batch > 0, nameof(geometry));
        int filters = dBias.Length;
        NeedLength(dy, (long)geometry.ColumnRows * filters, nameof(dy));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(dWeights, (long)filters * geometry.PatchSize, nameof(dWeights));
        Distinct(dy, dWeights, nameof(dy), nameof(dWeights));
        Distinct(x, dWeights, nameof(x), nameof(dWeights));
        Distinct(dy, dBias, nameof(dy), nameof(dBias));
        Distinct(x, dBias, nameof(x), nameof(dBias));
        Distinct(dWeights, dBias, nameof(dWeights), nameof(dBias));
        ConvolutionWeightGradientCore(dy, x, geometry, dWeights, dBias, filters);
    }

    /// <inheritdoc/>
    public void ConvolutionInputGradient(Tensor dy, in ConvGeometry geometry, Tensor weights, int filters, Tensor dx)
    {
        Own(dy, nameof(dy)); Own(weights, nameof(weights)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        Positive(filters, nameof(filters));
        NeedLength(dy, (long)geometry.ColumnRows * filters, nameof(dy));
        NeedLength(weights, (long)filters * geometry.PatchSize, nameof(weights));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(dy, dx, nameof(dy), nameof(dx));
        Distinct(weights, dx, nameof(weights), nameof(dx));
        ConvolutionInputGradientCore(dy, geometry, weights, filters, dx);
    }

    /// <inheritdoc/>
    public void MaxPoolForward(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax)
    {
        Own(x, nameof(x)); Own(y, nameof(y)); Own(argmax, nameof(argmax));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(y, geometry.OutputLength, nameof(y));
        NeedLength(argmax, geometry.OutputLength, nameof(argmax));
        Distinct(x, y, nameof(x), nameof(y));
        Distinct(x, argmax, nameof(x), nameof(argmax));
        Distinct(y, argmax, nameof(y), nameof(argmax));
        MaxPoolForwardCore(x, geometry, y, argmax);
    }

    /// <inheritdoc/>
    public void MaxPoolBackward(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx)
    {
        Own(dy, nameof(dy)); Own(argmax, nameof(argmax)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(dy, geometry.OutputLength, nameof(dy));
        NeedLength(argmax, geometry.OutputLength, nameof(argmax));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(dy, dx, nameof(dy), nameof(dx));
        Distinct(argmax, dx, nameof(argmax), nameof(dx));
        MaxPoolBackwardCore(dy, argmax, geometry, dx);
    }

    /// <inheritdoc/>
    public void AvgPoolForward(Tensor x, in PoolGeometry geometry, Tensor y)
    {
        Own(x, nameof(x)); Own(y, nameof(y));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(x, geometry.InputLength, nameof(x));
        NeedLength(y, geometry.OutputLength, nameof(y));
        Distinct(x, y, nameof(x), nameof(y));
        AvgPoolForwardCore(x, geometry, y);
    }

    /// <inheritdoc/>
    public void AvgPoolBackward(Tensor dy, in PoolGeometry geometry, Tensor dx)
    {
        Own(dy, nameof(dy)); Own(dx, nameof(dx));
        Constructed(geometry.Batch > 0, nameof(geometry));
        NeedLength(dy, geometry.OutputLength, nameof(dy));
        NeedLength(dx, geometry.InputLength, nameof(dx));
        Distinct(dy, dx, nameof(dy), nameof(dx));
        AvgPoolBackwardCore(dy, geometry, dx);
    }

    /// <summary>Minimal core: <see cref="IComputeProvider.Im2Col"/> after validation (also the default transpose and pooling windows).</summary>
    protected abstract void Im2ColCore(Tensor x, in ConvGeometry geometry, Tensor col);

    /// <summary>Minimal core: <see cref="IComputeProvider.Col2Im"/> after validation.</summary>
    protected abstract void Col2ImCore(Tensor col, in ConvGeometry geometry, Tensor dx);
}
