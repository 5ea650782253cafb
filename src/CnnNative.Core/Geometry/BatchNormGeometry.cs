namespace CnnNative.Core;

/// <summary>
/// How batch normalisation groups its input, seen as <c>[Batch, Channels, Spatial]</c>:
/// statistics are taken per channel over Batch·Spatial values.
/// Per channel after a convolution: <c>(N, C, H·W)</c>. Per activation (the seed's form,
/// and the only form for 2-D input): <c>(N, features, 1)</c>.
/// </summary>
public readonly record struct BatchNormGeometry
{
    public BatchNormGeometry(int batch, int channels, int spatial)
    {
        GeometryCheck.Positive(batch, nameof(batch));
        GeometryCheck.Positive(channels, nameof(channels));
        GeometryCheck.Positive(spatial, nameof(spatial));
        GeometryCheck.FitsInt((long)batch * channels * spatial, "input");
        Batch = batch; Channels = channels; Spatial = spatial;
    }

    public int Batch { get; }
    public int Channels { get; }
    public int Spatial { get; }

    public int Length => Batch * Channels * Spatial;

    /// <summary>Values per channel that one statistic is taken over.</summary>
    public int GroupSize => Batch * Spatial;
}
