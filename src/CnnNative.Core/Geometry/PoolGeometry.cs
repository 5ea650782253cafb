namespace CnnNative.Core;

/// <summary>
/// A pooling window over an NCHW batch. Output size includes the padding,
/// <c>(H + 2P − K) / S + 1</c> (the seed's Pooling forgot the padding term; fixed here).
/// Padding must be smaller than the window so every window sees at least one real input.
/// </summary>
public readonly record struct PoolGeometry
{
    public PoolGeometry(int batch, int channels, int height, int width,
        int poolHeight, int poolWidth, int strideHeight, int strideWidth,
        int padHeight = 0, int padWidth = 0)
    {
        GeometryCheck.Positive(batch, nameof(batch));
        GeometryCheck.Positive(channels, nameof(channels));
        GeometryCheck.Positive(height, nameof(height));
        GeometryCheck.Positive(width, nameof(width));
        GeometryCheck.Positive(poolHeight, nameof(poolHeight));
        GeometryCheck.Positive(poolWidth, nameof(poolWidth));
        GeometryCheck.Positive(strideHeight, nameof(strideHeight));
        GeometryCheck.Positive(strideWidth, nameof(strideWidth));
        GeometryCheck.NonNegative(padHeight, nameof(padHeight));
        GeometryCheck.NonNegative(padWidth, nameof(padWidth));
        if (padHeight >= poolHeight || padWidth >= poolWidth)
            throw new InvalidGeometryException(
                $"Pooling padding ({padHeight}×{padWidth}) must be smaller than the window ({poolHeight}×{poolWidth}); otherwise a window could hold only padding.",
                nameof(padHeight));
        Batch = batch; Channels = channels; Height = height; Width = width;
        PoolHeight = poolHeight; PoolWidth = poolWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth;
        PadHeight = padHeight; PadWidth = padWidth;
        OutputHeight = GeometryCheck.OutputSize(height, poolHeight, strideHeight, padHeight, "height");
        OutputWidth = GeometryCheck.OutputSize(width, poolWidth, strideWidth, padWidth, "width");
        GeometryCheck.FitsInt((long)batch * channels * height * width, "input");
    }

    /// <summary>Square window, same stride and padding on both axes.</summary>
    public static PoolGeometry Square(int batch, int channels, int height, int width, int pool, int stride, int pad = 0) =>
        new(batch, channels, height, width, pool, pool, stride, stride, pad, pad);

    public int Batch { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int PoolHeight { get; }
    public int PoolWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public int PadHeight { get; }
    public int PadWidth { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }

    public int InputLength => Batch * Channels * Height * Width;
    public int OutputLength => Batch * Channels * OutputHeight * OutputWidth;

    public override string ToString() =>
        $"N{Batch} C{Channels} {Height}×{Width}, window {PoolHeight}×{PoolWidth}, stride {StrideHeight}×{StrideWidth}, pad {PadHeight}×{PadWidth} → {OutputHeight}×{OutputWidth}";
}
