namespace CnnNative.Core;

/// <summary>
/// A pooling window over an NCHW batch. Output size includes the padding,
/// <c>(H + 2P − K) / S + 1</c> (the seed's Pooling forgot the padding term; fixed here).
/// Padding must be smaller than the window so every window sees at least one real input.
/// </summary>
public readonly record struct PoolGeometry
{
    /// <summary>Checks and stores a pooling geometry; sizes are in elements (pixels).</summary>
    /// <exception cref="InvalidGeometryException">A size, window or stride is not positive, a padding is negative or not smaller than the window, the window does not fit the padded input, or the input would exceed <see cref="int.MaxValue"/> elements.</exception>
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

    /// <summary>Images in the batch (N).</summary>
    public int Batch { get; }
    /// <summary>Channels (C); each is pooled on its own.</summary>
    public int Channels { get; }
    /// <summary>Input height in pixels, before padding.</summary>
    public int Height { get; }
    /// <summary>Input width in pixels, before padding.</summary>
    public int Width { get; }
    /// <summary>Window height.</summary>
    public int PoolHeight { get; }
    /// <summary>Window width.</summary>
    public int PoolWidth { get; }
    /// <summary>Vertical step between windows, in input pixels.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal step between windows, in input pixels.</summary>
    public int StrideWidth { get; }
    /// <summary>Rows of padding above and below (read as −∞ by max pooling, as zeros by average pooling).</summary>
    public int PadHeight { get; }
    /// <summary>Columns of padding left and right (read as −∞ by max pooling, as zeros by average pooling).</summary>
    public int PadWidth { get; }
    /// <summary>Output rows: <c>(Height + 2·PadHeight − PoolHeight) / StrideHeight + 1</c>.</summary>
    public int OutputHeight { get; }
    /// <summary>Output columns: <c>(Width + 2·PadWidth − PoolWidth) / StrideWidth + 1</c>.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements of the input batch: N·C·H·W.</summary>
    public int InputLength => Batch * Channels * Height * Width;
    /// <summary>Elements of the output batch: N·C·OH·OW (also the length of the max-pool argmax tensor).</summary>
    public int OutputLength => Batch * Channels * OutputHeight * OutputWidth;

    /// <summary>One line for messages and logs, e.g. "N32 C16 28×28, window 2×2, stride 2×2, pad 0×0 → 14×14".</summary>
    public override string ToString() =>
        $"N{Batch} C{Channels} {Height}×{Width}, window {PoolHeight}×{PoolWidth}, stride {StrideHeight}×{StrideWidth}, pad {PadHeight}×{PadWidth} → {OutputHeight}×{OutputWidth}";
}
