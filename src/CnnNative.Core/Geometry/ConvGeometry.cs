namespace CnnNative.Core;

/// <summary>
/// The shape of a convolution's im2col step on an NCHW batch: input
/// <c>[Batch, Channels, Height, Width]</c>, a <c>KernelHeight × KernelWidth</c> window moved
/// by the strides over the input padded with zeros. Output size is
/// <c>(H + 2P − K) / S + 1</c>; a geometry whose window does not fit is rejected.
/// </summary>
public readonly record struct ConvGeometry
{
    /// <summary>Checks and stores a convolution geometry; sizes are in elements (pixels).</summary>
    /// <exception cref="InvalidGeometryException">A size, kernel or stride is not positive, a padding is negative, the window does not fit the padded input, or the input or im2col matrix would exceed <see cref="int.MaxValue"/> elements.</exception>
    public ConvGeometry(int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight = 1, int strideWidth = 1,
        int padHeight = 0, int padWidth = 0)
    {
        GeometryCheck.Positive(batch, nameof(batch));
        GeometryCheck.Positive(channels, nameof(channels));
        GeometryCheck.Positive(height, nameof(height));
        GeometryCheck.Positive(width, nameof(width));
        GeometryCheck.Positive(kernelHeight, nameof(kernelHeight));
        GeometryCheck.Positive(kernelWidth, nameof(kernelWidth));
        GeometryCheck.Positive(strideHeight, nameof(strideHeight));
        GeometryCheck.Positive(strideWidth, nameof(strideWidth));
        GeometryCheck.NonNegative(padHeight, nameof(padHeight));
        GeometryCheck.NonNegative(padWidth, nameof(padWidth));
        Batch = batch; Channels = channels; Height = height; Width = width;
        KernelHeight = kernelHeight; KernelWidth = kernelWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth;
        PadHeight = padHeight; PadWidth = padWidth;
        OutputHeight = GeometryCheck.OutputSize(height, kernelHeight, strideHeight, padHeight, "height");
        OutputWidth = GeometryCheck.OutputSize(width, kernelWidth, strideWidth, padWidth, "width");
        GeometryCheck.FitsInt((long)batch * OutputHeight * OutputWidth * channels * kernelHeight * kernelWidth, "im2col matrix");
        GeometryCheck.FitsInt((long)batch * channels * height * width, "input");
    }

    /// <summary>Square kernel, same stride and padding on both axes.</summary>
    public static ConvGeometry Square(int batch, int channels, int height, int width, int kernel, int stride = 1, int pad = 0) =>
        new(batch, channels, height, width, kernel, kernel, stride, stride, pad, pad);

    /// <summary>Images in the batch (N).</summary>
    public int Batch { get; }
    /// <summary>Input channels (C).</summary>
    public int Channels { get; }
    /// <summary>Input height in pixels, before padding.</summary>
    public int Height { get; }
    /// <summary>Input width in pixels, before padding.</summary>
    public int Width { get; }
    /// <summary>Window height (KH).</summary>
    public int KernelHeight { get; }
    /// <summary>Window width (KW).</summary>
    public int KernelWidth { get; }
    /// <summary>Vertical step between windows, in input pixels.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal step between windows, in input pixels.</summary>
    public int StrideWidth { get; }
    /// <summary>Zero rows added above and below the input.</summary>
    public int PadHeight { get; }
    /// <summary>Zero columns added left and right of the input.</summary>
    public int PadWidth { get; }
    /// <summary>Output rows: <c>(Height + 2·PadHeight − KernelHeight) / StrideHeight + 1</c>.</summary>
    public int OutputHeight { get; }
    /// <summary>Output columns: <c>(Width + 2·PadWidth − KernelWidth) / StrideWidth + 1</c>.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements of the input batch: N·C·H·W.</summary>
    public int InputLength => Batch * Channels * Height * Width;

    /// <summary>Rows of the im2col matrix: one per output position, N·OH·OW.</summary>
    public int ColumnRows => Batch * OutputHeight * OutputWidth;

    /// <summary>Columns of the im2col matrix: one patch, C·KH·KW.</summary>
    public int PatchSize => Channels * KernelHeight * KernelWidth;

    /// <summary>Elements of the im2col matrix.</summary>
    public int ColumnLength => ColumnRows * PatchSize;

    /// <summary>One line for messages and logs, e.g. "N32 C1 28×28, kernel 3×3, stride 1×1, pad 1×1 → 28×28".</summary>
    public override string ToString() =>
        $"N{Batch} C{Channels} {Height}×{Width}, kernel {KernelHeight}×{KernelWidth}, stride {StrideHeight}×{StrideWidth}, pad {PadHeight}×{PadWidth} → {OutputHeight}×{OutputWidth}";
}
