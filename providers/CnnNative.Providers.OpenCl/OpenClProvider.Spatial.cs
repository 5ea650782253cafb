using CnnNative.Core;

namespace CnnNative.Providers.OpenCl;

// im2col/col2im and pooling (kernels: conv.cl, pool.cl). Geometry goes as int arguments and
// fast divisors (FastDivisor) in the order the kernels' CONV_GEOMETRY / POOL_GEOMETRY declare.
public sealed partial class OpenClProvider
{
    /// <inheritdoc/>
    protected override void Im2ColCore(Tensor x, in ConvGeometry g, Tensor col) =>
        Conv(Launch(Kernels.Im2Col).Mem(x).Mem(col), g).Run1(g.ColumnLength, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void Col2ImCore(Tensor col, in ConvGeometry g, Tensor dx) =>
        Conv(Launch(Kernels.Col2Im).Mem(col).Mem(dx), g).Run1(g.InputLength, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void MaxPoolForwardCore(Tensor x, in PoolGeometry g, Tensor y, Tensor argmax) =>
        Pool(Launch(Taps(g) switch { 2 => Kernels.MaxPoolForward2, 3 => Kernels.MaxPoolForward3, _ => Kernels.MaxPoolForward })
                .Mem(x).Mem(y).Mem(argmax), g)
            .Run1(g.OutputLength, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry g, Tensor dx) =>
        Pool(Launch(Disjoint(g) ? Kernels.MaxPoolBackwardDisjoint : Kernels.MaxPoolBackward).Mem(dy).Mem(argmax).Mem(dx), g)
            .Run1(g.InputLength, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void AvgPoolForwardCore(Tensor x, in PoolGeometry g, Tensor y) =>
        Pool(Launch(Taps(g) switch { 2 => Kernels.AvgPoolForward2, 3 => Kernels.AvgPoolForward3, _ => Kernels.AvgPoolForward })
                .Mem(x).Mem(y), g)
            .Run1(g.OutputLength, _tuning.ElementwiseLocal);

    /// <summary>The unrolled forward kernel that covers the window (2 or 3 taps a side, pool.cl), or 0 for the looping one.</summary>
    private static int Taps(in PoolGeometry g)
    {
        int side = Math.Max(g.PoolHeight, g.PoolWidth);
        return side <= 2 ? 2 : side == 3 ? 3 : 0;
    }

    /// <inheritdoc/>
    protected override void AvgPoolBackwardCore(Tensor dy, in PoolGeometry g, Tensor dx) =>
        Pool(Launch(Disjoint(g) ? Kernels.AvgPoolBackwardDisjoint : Kernels.AvgPoolBackward).Mem(dy).Mem(dx), g)
            .Run1(g.InputLength, _tuning.ElementwiseLocal);

    // Correct on every geometry but not tuned: PrefersDirectConvolution stays false here, so the
    // convolution layer keeps to im2col + the tiled GEMM on OpenCL devices.
    /// <inheritdoc/>
    protected override void ConvolutionForwardCore(Tensor x, in ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y) =>
        Conv(Launch(Kernels.ConvForwardDirect).Mem(x).Mem(weights).Mem(bias).Mem(y), g).I32(filters)
            .Run1(g.ColumnRows * filters, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void ConvolutionWeightGradientCore(Tensor dy, Tensor x, in ConvGeometry g, Tensor dWeights, Tensor dBias, int filters) =>
        Conv(Launch(Kernels.ConvWeightGradientDirect).Mem(dy).Mem(x).Mem(dWeights).Mem(dBias), g).I32(filters)
            .Run1(filters * (g.PatchSize + 1), _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void ConvolutionInputGradientCore(Tensor dy, in ConvGeometry g, Tensor weights, int filters, Tensor dx) =>
        Conv(Launch(Kernels.ConvInputGradientDirect).Mem(dy).Mem(weights).Mem(dx), g).I32(filters)
            .Run1(g.InputLength, _tuning.ElementwiseLocal);

    /// <summary>Windows that never overlap: each input has at most one, and the backward kernels need no loops.</summary>
    private static bool Disjoint(in PoolGeometry g) => g.StrideHeight >= g.PoolHeight && g.StrideWidth >= g.PoolWidth;

    private static KernelLaunch Conv(KernelLaunch launch, in ConvGeometry g) => launch
        .I32(g.Batch).I32(g.Channels).I32(g.Height).I32(g.Width)
        .I32(g.KernelHeight).I32(g.KernelWidth).I32(g.StrideHeight).I32(g.StrideWidth)
        .I32(g.PadHeight).I32(g.PadWidth).I32(g.OutputHeight).I32(g.OutputWidth)
        .Div(g.PatchSize).Div(g.OutputWidth).Div(g.OutputHeight).Div(g.KernelWidth).Div(g.KernelHeight)
        .Div(g.Width).Div(g.Height).Div(g.Channels).Div(g.StrideHeight).Div(g.StrideWidth);

    private static KernelLaunch Pool(KernelLaunch launch, in PoolGeometry g) => launch
        .I32(g.Batch).I32(g.Channels).I32(g.Height).I32(g.Width)
        .I32(g.PoolHeight).I32(g.PoolWidth).I32(g.StrideHeight).I32(g.StrideWidth)
        .I32(g.PadHeight).I32(g.PadWidth).I32(g.OutputHeight).I32(g.OutputWidth)
        .Div(g.OutputWidth).Div(g.OutputHeight).Div(g.Width).Div(g.Height).Div(g.StrideHeight).Div(g.StrideWidth);
}
