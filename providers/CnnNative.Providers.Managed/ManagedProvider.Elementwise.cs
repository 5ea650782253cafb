using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed;

// Elementwise arithmetic, activations, dropout and optimizer steps: one reusable work object,
// run on the caller alone below a size threshold (waking workers costs more than it saves).
public partial class ManagedProvider
{
    // Elements below which a memory-bound kernel stays on one thread.
    private const int ParallelElements = 1 << 17;
    // The same for kernels that compute per element (exp, sqrt, random bits).
    private const int ParallelElementsCompute = 1 << 14;

    private ElementwiseWork _elementwise = null!;

    private unsafe void RunElementwise(ElementwiseKind kind, int n, float* a, float* b, float* c = null, float* d = null,
        float s0 = 0, float s1 = 0, float s2 = 0, float s3 = 0, bool compute = false)
    {
        var w = _elementwise;
        w.Kind = kind;
        w.A = a; w.B = b; w.C = c; w.D = d;
        w.S0 = s0; w.S1 = s1; w.S2 = s2; w.S3 = s3;
        w.Count = n;
        int threshold = compute ? ParallelElementsCompute : ParallelElements;
        int parts = n < threshold ? 1 : Math.Min(Threads, n / (threshold / 2));
        Pool.Run(w, parts);
    }

    /// <inheritdoc/>
    protected override unsafe void AddCore(Tensor a, Tensor b, Tensor c) =>
        RunElementwise(ElementwiseKind.Add, a.Length, Ptr(a), Ptr(b), Ptr(c));

    /// <inheritdoc/>
    protected override unsafe void MultiplyCore(Tensor a, Tensor b, Tensor c) =>
        RunElementwise(ElementwiseKind.Multiply, a.Length, Ptr(a), Ptr(b), Ptr(c));

    /// <inheritdoc/>
    protected override unsafe void ScaleCore(Tensor x, float alpha, Tensor y) =>
        RunElementwise(ElementwiseKind.Scale, x.Length, Ptr(x), Ptr(y), s0: alpha);

    /// <inheritdoc/>
    protected override unsafe void AxpyCore(float alpha, Tensor x, Tensor y) =>
        RunElementwise(ElementwiseKind.Axpy, x.Length, Ptr(x), Ptr(y), s0: alpha);

    /// <inheritdoc/>
    protected override unsafe void ReluForwardCore(Tensor x, Tensor y) =>
        RunElementwise(ElementwiseKind.Relu, x.Length, Ptr(x), Ptr(y));

    /// <inheritdoc/>
    protected override unsafe void ReluBackwardCore(Tensor dy, Tensor y, Tensor dx) =>
        RunElementwise(ElementwiseKind.ReluBackward, dy.Length, Ptr(dy), Ptr(y), Ptr(dx));

    /// <inheritdoc/>
    protected override unsafe void SigmoidForwardCore(Tensor x, Tensor y) =>
        RunElementwise(ElementwiseKind.Sigmoid, x.Length, Ptr(x), Ptr(y), compute: true);

    /// <inheritdoc/>
    protected override unsafe void SigmoidBackwardCore(Tensor dy, Tensor y, Tensor dx) =>
        RunElementwise(ElementwiseKind.SigmoidBackward, dy.Length, Ptr(dy), Ptr(y), Ptr(dx));

    /// <inheritdoc/>
    protected override unsafe void DropoutForwardCore(Tensor x, float ratio, ulong key, Tensor y, Tensor mask)
    {
        _elementwise.Key = key;
        _elementwise.Threshold = DropoutKernel.Threshold(ratio);
        RunElementwise(ElementwiseKind.Dropout, x.Length, Ptr(x), Ptr(y), Ptr(mask), compute: true);
    }

    /// <inheritdoc/>
    protected override unsafe void SgdStepCore(Tensor param, Tensor grad, float learningRate, float weightDecay) =>
        RunElementwise(ElementwiseKind.Sgd, param.Length, Ptr(param), Ptr(grad), s0: learningRate, s1: weightDecay);

    /// <inheritdoc/>
    protected override unsafe void MomentumStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay) =>
        RunElementwise(ElementwiseKind.Momentum, param.Length, Ptr(param), Ptr(grad), Ptr(velocity),
            s0: learningRate, s1: momentum, s2: weightDecay);

    /// <inheritdoc/>
    protected override unsafe void NesterovStepCore(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay) =>
        RunElementwise(ElementwiseKind.Nesterov, param.Length, Ptr(param), Ptr(grad), Ptr(velocity),
            s0: learningRate, s1: momentum, s2: weightDecay);

    /// <inheritdoc/>
    protected override unsafe void AdaGradStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float weightDecay) =>
        RunElementwise(ElementwiseKind.AdaGrad, param.Length, Ptr(param), Ptr(grad), Ptr(h),
            s0: learningRate, s1: weightDecay, compute: true);

    /// <inheritdoc/>
    protected override unsafe void RmsPropStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float decayRate, float weightDecay) =>
        RunElementwise(ElementwiseKind.RmsProp, param.Length, Ptr(param), Ptr(grad), Ptr(h),
            s0: learningRate, s1: decayRate, s2: weightDecay, compute: true);

    /// <inheritdoc/>
    protected override unsafe void AdamStepCore(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRateT, float beta1, float beta2, float weightDecay) =>
        RunElementwise(ElementwiseKind.Adam, param.Length, Ptr(param), Ptr(grad), Ptr(m), Ptr(v),
            learningRateT, beta1, beta2, weightDecay, compute: true);
}
