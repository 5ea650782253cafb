using CnnNative.Core;

namespace CnnNative.Providers.OpenCl;

// Transposes, elementwise arithmetic, activations and bias (kernels: transpose.cl,
// elementwise.cl, bias.cl). GEMM has its own file.
public sealed partial class OpenClProvider
{
    /// <inheritdoc/>
    protected override void BatchedTransposeCore(Tensor src, int batch, int rows, int cols, Tensor dst)
    {
        if (_tuning.CpuKernels)
            Launch(Kernels.BatchedTransposeDirect).Mem(src).Mem(dst).I32(rows).I32(cols)
                .Run3(rows, cols, batch, Math.Min(_tuning.ElementwiseLocal, RoundUpToPowerOfTwo(rows)), 1, 1);
        else
            Launch(Kernels.BatchedTranspose).Mem(src).Mem(dst).I32(rows).I32(cols)
                .Run3(cols, rows, batch, TransposeTile, TransposeTile, 1);
    }

    private static int RoundUpToPowerOfTwo(int n) => n <= 1 ? 1 : 1 << (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(n - 1)));

    /// <inheritdoc/>
    protected override void AddCore(Tensor a, Tensor b, Tensor c) =>
        Launch(Kernels.Add).Mem(a).Mem(b).Mem(c).I32(a.Length).Run1(a.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void MultiplyCore(Tensor a, Tensor b, Tensor c) =>
        Launch(Kernels.Multiply).Mem(a).Mem(b).Mem(c).I32(a.Length).Run1(a.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void ScaleCore(Tensor x, float alpha, Tensor y) =>
        Launch(Kernels.Scale).Mem(x).F32(alpha).Mem(y).I32(x.Length).Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void AxpyCore(float alpha, Tensor x, Tensor y) =>
        Launch(Kernels.Axpy).F32(alpha).Mem(x).Mem(y).I32(x.Length).Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void ReluForwardCore(Tensor x, Tensor y) =>
        Launch(Kernels.ReluForward).Mem(x).Mem(y).I32(x.Length).Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void ReluBackwardCore(Tensor dy, Tensor y, Tensor dx) =>
        Launch(Kernels.ReluBackward).Mem(dy).Mem(y).Mem(dx).I32(dy.Length).Run1(dy.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void SigmoidForwardCore(Tensor x, Tensor y) =>
        Launch(Kernels.SigmoidForward).Mem(x).Mem(y).I32(x.Length).Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void SigmoidBackwardCore(Tensor dy, Tensor y, Tensor dx) =>
        Launch(Kernels.SigmoidBackward).Mem(dy).Mem(y).Mem(dx).I32(dy.Length).Run1(dy.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void AddRowBiasCore(Tensor x, Tensor bias, int rows, int cols)
    {
        int n = rows * cols;
        Launch(Kernels.AddRowBias).Mem(x).Mem(bias).I32(cols).Div(cols).I32(n).Run1(n, _tuning.ElementwiseLocal);
    }

    /// <inheritdoc/>
    protected override void SumRowsCore(Tensor dy, Tensor db, int rows, int cols)
    {
        // 16 columns per group, ReduceLocal/16 lanes over the rows (sum_rows in bias.cl).
        int lanes = _tuning.ReduceLocal / SumRowsColumns;
        Launch(Kernels.SumRows).Mem(dy).Mem(db).I32(rows).I32(cols)
            .Run2(cols, lanes, SumRowsColumns, lanes);
    }

    /// <inheritdoc/>
    protected override void AddChannelBiasCore(Tensor x, Tensor bias, int batch, int channels, int spatial)
    {
        int n = batch * channels * spatial;
        Launch(Kernels.AddChannelBias).Mem(x).Mem(bias).I32(channels).Div(channels).Div(spatial).I32(n).Run1(n, _tuning.ElementwiseLocal);
    }

    /// <inheritdoc/>
    protected override void SumChannelsCore(Tensor dy, Tensor db, int batch, int channels, int spatial) =>
        Launch(Kernels.SumChannels).Mem(dy).Mem(db).I32(batch).I32(channels).I32(spatial)
            .Run1(channels * _tuning.ReduceLocal, _tuning.ReduceLocal);

    private const int TransposeTile = 16;   // TRANSPOSE_TILE in transpose.cl
    private const int SumRowsColumns = 16;  // SUMROWS_LX in bias.cl
}
