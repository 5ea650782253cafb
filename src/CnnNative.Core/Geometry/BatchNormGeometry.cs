namespace CnnNative.Core;

/// <summary>
/// How batch normalisation groups its input, seen as <c>[Batch, Channels, Spatial]</c>:
/// statistics are taken per channel over Batch·Spatial values.
/// Per channel after a convolution: <c>(N, C, H·W)</c>. Per activation (the seed's form,
/// and the only form for 2-D input): <c>(N, features, 1)</c>.
/// </summary>
public readonly record struct BatchNormGeometry
{
    /// <summary>Checks and stores the grouping: <c>[batch, channels, spatial]</c>.</summary>
    /// <exception cref="InvalidGeometryException">A size is not positive or the product exceeds <see cref="int.MaxValue"/>.</exception>
    public BatchNormGeometry(int batch, int channels, int spatial)
    {
        GeometryCheck.Positive(batch, nameof(batch));
        GeometryCheck.Positive(channels, nameof(channels));
        GeometryCheck.Positive(spatial, nameof(spatial));
        GeometryCheck.FitsInt((long)batch * channels * spatial, "input");
        Batch = batch; Channels = channels; Spatial = spatial;
    }

    /// <summary>Samples in the batch (N).</summary>
    public int Batch { get; }
    /// <summary>Groups with their own mean, variance, γ and β: channels after a convolution, features otherwise.</summary>
    public int Channels { get; }
    /// <summary>Values per sample in one group: H·W after a convolution, 1 per activation.</summary>
    public int Spatial { get; }

    /// <summary>Elements of the input (and output): N·C·Spatial.</summary>
    public int Length => Batch * Channels * Spatial;

    /// <summary>Values per channel that one statistic is taken over.</summary>
    public int GroupSize => Batch * Spatial;
}
