using CnnNative.Core;

namespace CnnNative.Providers.OpenCl;

// Loss, metrics, batch normalisation, dropout and optimizer updates (kernels: loss.cl,
// batchnorm.cl, dropout.cl, optimizer.cl). Reductions run on the device in one launch each,
// so nothing here waits for the host.
public sealed partial class OpenClProvider
{
    /// <inheritdoc/>
    protected override void SoftmaxCore(Tensor logits, Tensor probs, int rows, int cols) =>
        Launch(Kernels.Softmax).Mem(logits).Mem(probs).I32(rows).I32(cols).Run1(rows, _tuning.ReduceLocal);

    /// <inheritdoc/>
    protected override void SoftmaxCrossEntropyForwardCore(Tensor logits, Tensor labels, Tensor probs, Tensor loss, int rows, int cols)
    {
        Launch(Kernels.SoftmaxXentForward).Mem(logits).Mem(labels).Mem(probs).Mem(loss).I32(rows).I32(cols)
            .Mem(_labelCheck.Flag).Run1(_tuning.ReduceLocal, _tuning.ReduceLocal);
        _labelCheck.Enqueued(cols);
    }

    /// <inheritdoc/>
    protected override void SoftmaxCrossEntropyBackwardCore(Tensor probs, Tensor labels, Tensor dx, int rows, int cols)
    {
        Launch(Kernels.SoftmaxXentBackward).Mem(probs).Mem(labels).Mem(dx).I32(rows).I32(cols).Div(cols)
            .Mem(_labelCheck.Flag).Run1(rows * cols, _tuning.ElementwiseLocal);
        _labelCheck.Enqueued(cols);
    }

    /// <inheritdoc/>
    protected override void CountCorrectCore(Tensor scores, Tensor labels, Tensor counter, int rows, int cols) =>
        Launch(Kernels.CountCorrect).Mem(scores).Mem(labels).Mem(counter).I32(rows).I32(cols)
            .Run1(_tuning.ReduceLocal, _tuning.ReduceLocal);

    /// <inheritdoc/>
    protected override void BatchNormForwardTrainingCore(Tensor x, in BatchNormGeometry g, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon, Tensor y, Tensor saveMean, Tensor saveInvStd) =>
        Launch(Kernels.BatchNormForwardTraining)
            .Mem(x).Mem(gamma).Mem(beta).Mem(runningMean).Mem(runningVar).F32(momentum).F32(epsilon)
            .Mem(y).Mem(saveMean).Mem(saveInvStd).I32(g.Batch).I32(g.Channels).I32(g.Spatial).Div(g.Spatial)
            .Run1(g.Channels * _tuning.ReduceLocal, _tuning.ReduceLocal);

    /// <inheritdoc/>
    protected override void BatchNormForwardInferenceCore(Tensor x, in BatchNormGeometry g, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y) =>
        Launch(Kernels.BatchNormForwardInference)
            .Mem(x).Mem(gamma).Mem(beta).Mem(runningMean).Mem(runningVar).F32(epsilon)
            .Mem(y).I32(g.Channels).Div(g.Channels).Div(g.Spatial).I32(g.Length)
            .Run1(g.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void BatchNormBackwardCore(Tensor dy, Tensor x, in BatchNormGeometry g, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta) =>
        Launch(Kernels.BatchNormBackward)
            .Mem(dy).Mem(x).Mem(gamma).Mem(saveMean).Mem(saveInvStd).Mem(dx).Mem(dgamma).Mem(dbeta)
            .I32(g.Batch).I32(g.Channels).I32(g.Spatial).Div(g.Spatial)
            .Run1(g.Channels * _tuning.ReduceLocal, _tuning.ReduceLocal);

    /// <inheritdoc/>
    protected override void DropoutForwardCore(Tensor x, float ratio, ulong key, Tensor y, Tensor mask) =>
        Launch(Kernels.DropoutForward).Mem(x).F32(ratio).U64(key).Mem(y).Mem(mask).I32(x.Length)
            .Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void SgdStepCore(Tensor param, Tensor grad, float learningRate, float weightDecay) =>
        Launch(Kernels.SgdStep).Mem(param).Mem(grad).F32(learningRate).F32(weightDecay).I32(param.Length)
            .Run1(param.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void MomentumStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay) =>
        Launch(Kernels.MomentumStep).Mem(param).Mem(grad).Mem(velocity).F32(learningRate).F32(momentum).F32(weightDecay).I32(param.Length)
            .Run1(param.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void NesterovStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay) =>
        Launch(Kernels.NesterovStep).Mem(param).Mem(grad).Mem(velocity).F32(learningRate).F32(momentum).F32(weightDecay).I32(param.Length)
            .Run1(param.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void AdaGradStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float weightDecay) =>
        Launch(Kernels.AdaGradStep).Mem(param).Mem(grad).Mem(h).F32(learningRate).F32(weightDecay).I32(param.Length)
            .Run1(param.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void RmsPropStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float decayRate, float weightDecay) =>
        Launch(Kernels.RmsPropStep).Mem(param).Mem(grad).Mem(h).F32(learningRate).F32(decayRate).F32(weightDecay).I32(param.Length)
            .Run1(param.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void AdamStepCore(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRateT, float beta1, float beta2, float weightDecay) =>
        Launch(Kernels.AdamStep).Mem(param).Mem(grad).Mem(m).Mem(v).F32(learningRateT).F32(beta1).F32(beta2).F32(weightDecay).I32(param.Length)
            .Run1(param.Length, _tuning.ElementwiseLocal);
}
