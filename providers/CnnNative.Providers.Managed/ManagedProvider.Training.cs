using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed;

// Softmax, loss and accuracy (short rows: one thread), batch normalisation (channel ranges in parallel).
public partial class ManagedProvider
{
    private BatchNormWork _batchNorm = null!;

    /// <inheritdoc/>
    protected override unsafe void SoftmaxCore(Tensor logits, Tensor probs, int rows, int cols) =>
        SoftmaxKernels.Softmax(Ptr(logits), Ptr(probs), rows, cols);

    /// <inheritdoc/>
    protected override unsafe void SoftmaxCrossEntropyForwardCore(Tensor logits, Tensor labels, Tensor probs, Tensor loss, int rows, int cols)
    {
        SoftmaxKernels.Softmax(Ptr(logits), Ptr(probs), rows, cols);
        Ptr(loss)[0] = SoftmaxKernels.CrossEntropy(Ptr(probs), Ptr(labels), rows, cols);
    }

    /// <inheritdoc/>
    protected override unsafe void SoftmaxCrossEntropyBackwardCore(Tensor probs, Tensor labels, Tensor dx, int rows, int cols) =>
        SoftmaxKernels.CrossEntropyBackward(Ptr(probs), Ptr(labels), Ptr(dx), rows, cols);

    /// <inheritdoc/>
    protected override unsafe void CountCorrectCore(Tensor scores, Tensor labels, Tensor counter, int rows, int cols) =>
        Ptr(counter)[0] += SoftmaxKernels.CountCorrect(Ptr(scores), Ptr(labels), rows, cols);

    private void RunBatchNorm(BatchNormKind kind, in BatchNormGeometry g)
    {
        _batchNorm.Kind = kind;
        _batchNorm.G = g;
        int parts = g.Length < ParallelSpatial ? 1 : Math.Min(Threads, g.Channels);
        Pool.Run(_batchNorm, parts);
    }

    /// <inheritdoc/>
    protected override unsafe void BatchNormForwardTrainingCore(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon, Tensor y, Tensor saveMean, Tensor saveInvStd)
    {
        var w = _batchNorm;
        w.X = Ptr(x); w.Y = Ptr(y);
        w.Gamma = Ptr(gamma); w.Beta = Ptr(beta);
        w.RunningMean = Ptr(runningMean); w.RunningVar = Ptr(runningVar);
        w.SaveMean = Ptr(saveMean); w.SaveInvStd = Ptr(saveInvStd);
        w.Momentum = momentum; w.Epsilon = epsilon;
        RunBatchNorm(BatchNormKind.ForwardTraining, geometry);
    }

    /// <inheritdoc/>
    protected override unsafe void BatchNormForwardInferenceCore(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y)
    {
        var w = _batchNorm;
        w.X = Ptr(x); w.Y = Ptr(y);
        w.Gamma = Ptr(gamma); w.Beta = Ptr(beta);
        w.RunningMean = Ptr(runningMean); w.RunningVar = Ptr(runningVar);
        w.Epsilon = epsilon;
        RunBatchNorm(BatchNormKind.ForwardInference, geometry);
    }

    /// <inheritdoc/>
    protected override unsafe void BatchNormBackwardCore(Tensor dy, Tensor x, in BatchNormGeometry geometry, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta)
    {
        var w = _batchNorm;
        w.Dy = Ptr(dy); w.X = Ptr(x); w.Dx = Ptr(dx);
        w.Gamma = Ptr(gamma);
        w.SaveMean = Ptr(saveMean); w.SaveInvStd = Ptr(saveInvStd);
        w.DGamma = Ptr(dgamma); w.DBeta = Ptr(dbeta);
        RunBatchNorm(BatchNormKind.Backward, geometry);
    }
}
