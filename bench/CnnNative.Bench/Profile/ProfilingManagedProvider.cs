using System.Diagnostics;
using CnnNative.Core;
using CnnNative.Providers.Managed;

namespace CnnNative.Bench.Profile;

/// <summary>
/// The managed provider with a stopwatch around every operation: each <c>…Core</c> call is
/// timed and added to <see cref="Timings"/> under its name and sizes ("Gemm NT 57600×30×25").
/// Tensors it allocates belong to it, so a whole <c>Network</c> — optimizer updates included —
/// runs through it unchanged. Managed operations are synchronous, so the time is the work.
/// Keys are value tuples of literals and ints: timing a warm step allocates nothing. Besides
/// wall time it records the calling thread's CPU time (<see cref="ThreadCpuClock"/>).
/// </summary>
public sealed class ProfilingManagedProvider(int threads) : ManagedProvider(threads)
{
    public readonly record struct OpKey(string Op, int A = 0, int B = 0, int C = 0, int D = 0, string Flags = "")
    {
        public override string ToString() => Op switch
        {
            "Gemm" => $"Gemm {Flags} {A}×{B}×{C}",
            "ConvolutionForward" or "ConvolutionWeightGradient" or "ConvolutionInputGradient" => $"{Op} ({Flags}) {A}×{B}×{C}",
            "Im2Col" or "Col2Im" => $"{Op} {A}×{B}×{C}×{C} k{D}",
            "MaxPoolForward" or "MaxPoolBackward" => $"{Op} {A}×{B}×{C}×{C} /{D}",
            _ => A == 0 ? Op : $"{Op} {A}",
        };

        /// <summary>
        /// Floating-point operations of one call where the sizes say them: a GEMM's 2·M·N·K, a
        /// convolution pass's im2col-equivalent 2·rows·filters·patch (whatever algorithm ran, so
        /// Winograd, which multiplies less, can pass 100 % of the FMA peak); 0 for the rest.
        /// </summary>
        public double Flops => Op is "Gemm" or "ConvolutionForward" or "ConvolutionWeightGradient" or "ConvolutionInputGradient"
            ? 2.0 * A * B * C : 0;
    }

    public sealed class OpTiming
    {
        public long Calls;
        public long Ticks;

        /// <summary>CPU time of the calling thread (all of the work when the provider runs one thread).</summary>
        public long CpuNanoseconds;
    }

    private readonly Dictionary<OpKey, OpTiming> _timings = new();

    public IReadOnlyDictionary<OpKey, OpTiming> Timings => _timings;

    public void Reset() => _timings.Clear();

    private long _cpuStart;

    private void Add(in OpKey key, long start)
    {
        long elapsed = Stopwatch.GetTimestamp() - start;
        long cpu = ThreadCpuClock.Nanoseconds() - _cpuStart;
        if (!_timings.TryGetValue(key, out var t)) _timings[key] = t = new OpTiming();
        t.Calls++;
        t.Ticks += elapsed;
        t.CpuNanoseconds += cpu;
    }

    private long Now()
    {
        _cpuStart = ThreadCpuClock.Nanoseconds();
        return Stopwatch.GetTimestamp();
    }

    private static string T(Transpose a, Transpose b) =>
        a == Transpose.NoTranspose ? (b == Transpose.NoTranspose ? "NN" : "NT") : (b == Transpose.NoTranspose ? "TN" : "TT");

    protected override void GemmCore(Transpose transA, Transpose transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    { long s = Now(); base.GemmCore(transA, transB, m, n, k, alpha, a, b, beta, c); Add(new("Gemm", m, n, k, 0, T(transA, transB)), s); }

    protected override void BatchedTransposeCore(Tensor src, int batch, int rows, int cols, Tensor dst)
    { long s = Now(); base.BatchedTransposeCore(src, batch, rows, cols, dst); Add(new("BatchedTranspose", batch * rows * cols), s); }

    protected override void BatchedTransposeAddChannelBiasCore(Tensor src, int batch, int rows, int cols, Tensor bias, Tensor dst)
    { long s = Now(); base.BatchedTransposeAddChannelBiasCore(src, batch, rows, cols, bias, dst); Add(new("BatchedTransposeAddChannelBias", batch * rows * cols), s); }

    protected override void BatchedTransposeSumChannelsCore(Tensor src, int batch, int rows, int cols, Tensor dst, Tensor sums)
    { long s = Now(); base.BatchedTransposeSumChannelsCore(src, batch, rows, cols, dst, sums); Add(new("BatchedTransposeSumChannels", batch * rows * cols), s); }

    protected override void ConvolutionForwardCore(Tensor x, in ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y)
    { long s = Now(); base.ConvolutionForwardCore(x, g, weights, bias, filters, y); Add(new("ConvolutionForward", g.ColumnRows, filters, g.PatchSize, 0, Algorithm), s); }

    protected override void ConvolutionWeightGradientCore(Tensor dy, Tensor x, in ConvGeometry g, Tensor dWeights, Tensor dBias, int filters)
    { long s = Now(); base.ConvolutionWeightGradientCore(dy, x, g, dWeights, dBias, filters); Add(new("ConvolutionWeightGradient", filters, g.PatchSize, g.ColumnRows, 0, Algorithm), s); }

    protected override void ConvolutionInputGradientCore(Tensor dy, in ConvGeometry g, Tensor weights, int filters, Tensor dx)
    { long s = Now(); base.ConvolutionInputGradientCore(dy, g, weights, filters, dx); Add(new("ConvolutionInputGradient", g.ColumnRows, g.PatchSize, filters, 0, Algorithm), s); }

    /// <summary>The algorithm the managed provider just ran, as a literal (keys must not allocate).</summary>
    private string Algorithm => LastConvolutionAlgorithm switch
    {
        ConvolutionAlgorithm.Direct => "direct",
        ConvolutionAlgorithm.Winograd => "winograd",
        ConvolutionAlgorithm.ShiftedGemm => "shifted GEMM",
        _ => "im2col",
    };

    protected override void Im2ColCore(Tensor x, in ConvGeometry g, Tensor col)
    { long s = Now(); base.Im2ColCore(x, g, col); Add(new("Im2Col", g.Batch, g.Channels, g.Height, g.KernelHeight), s); }

    protected override void Col2ImCore(Tensor col, in ConvGeometry g, Tensor dx)
    { long s = Now(); base.Col2ImCore(col, g, dx); Add(new("Col2Im", g.Batch, g.Channels, g.Height, g.KernelHeight), s); }

    protected override void MaxPoolForwardCore(Tensor x, in PoolGeometry g, Tensor y, Tensor argmax)
    { long s = Now(); base.MaxPoolForwardCore(x, g, y, argmax); Add(new("MaxPoolForward", g.Batch, g.Channels, g.Height, g.PoolHeight), s); }

    protected override void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry g, Tensor dx)
    { long s = Now(); base.MaxPoolBackwardCore(dy, argmax, g, dx); Add(new("MaxPoolBackward", g.Batch, g.Channels, g.Height, g.PoolHeight), s); }

    protected override void AvgPoolForwardCore(Tensor x, in PoolGeometry g, Tensor y)
    { long s = Now(); base.AvgPoolForwardCore(x, g, y); Add(new("AvgPoolForward", g.Batch * g.Channels * g.Height * g.Width), s); }

    protected override void AvgPoolBackwardCore(Tensor dy, in PoolGeometry g, Tensor dx)
    { long s = Now(); base.AvgPoolBackwardCore(dy, g, dx); Add(new("AvgPoolBackward", g.Batch * g.Channels * g.Height * g.Width), s); }

    protected override void AddCore(Tensor a, Tensor b, Tensor c) { long s = Now(); base.AddCore(a, b, c); Add(new("Add", c.Length), s); }
    protected override void MultiplyCore(Tensor a, Tensor b, Tensor c) { long s = Now(); base.MultiplyCore(a, b, c); Add(new("Multiply", c.Length), s); }
    protected override void ScaleCore(Tensor x, float alpha, Tensor y) { long s = Now(); base.ScaleCore(x, alpha, y); Add(new("Scale", y.Length), s); }
    protected override void AxpyCore(float alpha, Tensor x, Tensor y) { long s = Now(); base.AxpyCore(alpha, x, y); Add(new("Axpy", y.Length), s); }
    protected override void ReluForwardCore(Tensor x, Tensor y) { long s = Now(); base.ReluForwardCore(x, y); Add(new("ReluForward", x.Length), s); }
    protected override void ReluBackwardCore(Tensor dy, Tensor y, Tensor dx) { long s = Now(); base.ReluBackwardCore(dy, y, dx); Add(new("ReluBackward", dy.Length), s); }
    protected override void SigmoidForwardCore(Tensor x, Tensor y) { long s = Now(); base.SigmoidForwardCore(x, y); Add(new("SigmoidForward", x.Length), s); }
    protected override void SigmoidBackwardCore(Tensor dy, Tensor y, Tensor dx) { long s = Now(); base.SigmoidBackwardCore(dy, y, dx); Add(new("SigmoidBackward", dy.Length), s); }

    protected override void AddRowBiasCore(Tensor x, Tensor bias, int rows, int cols)
    { long s = Now(); base.AddRowBiasCore(x, bias, rows, cols); Add(new("AddRowBias", rows * cols), s); }

    protected override void SumRowsCore(Tensor dy, Tensor db, int rows, int cols)
    { long s = Now(); base.SumRowsCore(dy, db, rows, cols); Add(new("SumRows", rows * cols), s); }

    protected override void AddChannelBiasCore(Tensor x, Tensor bias, int batch, int channels, int spatial)
    { long s = Now(); base.AddChannelBiasCore(x, bias, batch, channels, spatial); Add(new("AddChannelBias", batch * channels * spatial), s); }

    protected override void SumChannelsCore(Tensor dy, Tensor db, int batch, int channels, int spatial)
    { long s = Now(); base.SumChannelsCore(dy, db, batch, channels, spatial); Add(new("SumChannels", batch * channels * spatial), s); }

    protected override void SoftmaxCore(Tensor logits, Tensor probs, int rows, int cols)
    { long s = Now(); base.SoftmaxCore(logits, probs, rows, cols); Add(new("Softmax", rows * cols), s); }

    protected override void SoftmaxCrossEntropyForwardCore(Tensor logits, Tensor labels, Tensor probs, Tensor loss, int rows, int cols)
    { long s = Now(); base.SoftmaxCrossEntropyForwardCore(logits, labels, probs, loss, rows, cols); Add(new("SoftmaxCrossEntropyForward", rows * cols), s); }

    protected override void SoftmaxCrossEntropyBackwardCore(Tensor probs, Tensor labels, Tensor dx, int rows, int cols)
    { long s = Now(); base.SoftmaxCrossEntropyBackwardCore(probs, labels, dx, rows, cols); Add(new("SoftmaxCrossEntropyBackward", rows * cols), s); }

    protected override void CountCorrectCore(Tensor scores, Tensor labels, Tensor counter, int rows, int cols)
    { long s = Now(); base.CountCorrectCore(scores, labels, counter, rows, cols); Add(new("CountCorrect", rows * cols), s); }

    protected override void BatchNormForwardTrainingCore(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon, Tensor y, Tensor saveMean, Tensor saveInvStd)
    { long s = Now(); base.BatchNormForwardTrainingCore(x, geometry, gamma, beta, runningMean, runningVar, momentum, epsilon, y, saveMean, saveInvStd); Add(new("BatchNormForwardTraining", x.Length), s); }

    protected override void BatchNormForwardInferenceCore(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y)
    { long s = Now(); base.BatchNormForwardInferenceCore(x, geometry, gamma, beta, runningMean, runningVar, epsilon, y); Add(new("BatchNormForwardInference", x.Length), s); }

    protected override void BatchNormBackwardCore(Tensor dy, Tensor x, in BatchNormGeometry geometry, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta)
    { long s = Now(); base.BatchNormBackwardCore(dy, x, geometry, gamma, saveMean, saveInvStd, dx, dgamma, dbeta); Add(new("BatchNormBackward", x.Length), s); }

    protected override void DropoutForwardCore(Tensor x, float ratio, ulong key, Tensor y, Tensor mask)
    { long s = Now(); base.DropoutForwardCore(x, ratio, key, y, mask); Add(new("DropoutForward", x.Length), s); }

    protected override void SgdStepCore(Tensor param, Tensor grad, float learningRate, float weightDecay)
    { long s = Now(); base.SgdStepCore(param, grad, learningRate, weightDecay); Add(new("SgdStep", param.Length), s); }

    protected override void MomentumStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    { long s = Now(); base.MomentumStepCore(param, grad, velocity, learningRate, momentum, weightDecay); Add(new("MomentumStep", param.Length), s); }

    protected override void NesterovStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay)
    { long s = Now(); base.NesterovStepCore(param, grad, velocity, learningRate, momentum, weightDecay); Add(new("NesterovStep", param.Length), s); }

    protected override void AdaGradStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float weightDecay)
    { long s = Now(); base.AdaGradStepCore(param, grad, h, learningRate, weightDecay); Add(new("AdaGradStep", param.Length), s); }

    protected override void RmsPropStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float decayRate, float weightDecay)
    { long s = Now(); base.RmsPropStepCore(param, grad, h, learningRate, decayRate, weightDecay); Add(new("RmsPropStep", param.Length), s); }

    protected override void AdamStepCore(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRateT, float beta1, float beta2, float weightDecay)
    { long s = Now(); base.AdamStepCore(param, grad, m, v, learningRateT, beta1, beta2, weightDecay); Add(new("AdamStep", param.Length), s); }

    protected override void UploadCore(ReadOnlySpan<float> src, Tensor dst) { long s = Now(); base.UploadCore(src, dst); Add(new("Upload", src.Length), s); }
    protected override void DownloadCore(Tensor src, Span<float> dst) { long s = Now(); base.DownloadCore(src, dst); Add(new("Download", dst.Length), s); }
    protected override void CopyCore(Tensor src, Tensor dst, int length) { long s = Now(); base.CopyCore(src, dst, length); Add(new("Copy", length), s); }
    protected override void FillCore(Tensor x, float value) { long s = Now(); base.FillCore(x, value); Add(new("Fill", x.Length), s); }
}
