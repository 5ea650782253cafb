namespace CnnNative.Core;

/// <summary>
/// The shape of a convolution's im2col step on an NCHW batch: input
/// <c>[Batch, Channels, Height, Width]</c>, a <c>KernelHeight × KernelWidth</c> window moved
/// by the strides over the input padded with zeros. Output size is
/// <c>(H + 2P − K) / S + 1</c>; a geometry whose window does not fit is rejected.
/// </summary>
public readonly record struct ConvGeometry
{
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

    public int Batch { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public int PadHeight { get; }
    public int PadWidth { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }

    /// <summary>Elements of the input batch: N·C·H·W.</summary>
    public int InputLength => Batch * Channels * Height * Width;

    /// <summary>Rows of the im2col matrix: one per output position, N·OH·OW.</summary>
    public int ColumnRows => Batch * OutputHeight * OutputWidth;

    /// <summary>Columns of the im2col matrix: one patch, C·KH·KW.</summary>
    public int PatchSize => Channels * KernelHeight * KernelWidth;

    /// <summary>Elements of the im2col matrix.</summary>
    public int ColumnLength => ColumnRows * PatchSize;

    public override string ToString() =>
        $"N{Batch} C{Channels} {Height}×{Width}, kernel {KernelHeight}×{KernelWidth}, stride {StrideHeight}×{StrideWidth}, pad {PadHeight}×{PadWidth} → {OutputHeight}×{OutputWidth}";
}
