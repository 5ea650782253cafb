using System.Numerics.Tensors;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>Which elementwise kernel an <see cref="ElementwiseWork"/> runs.</summary>
internal enum ElementwiseKind
{
    Add, Multiply, Scale, Axpy, Relu, ReluBackward, Sigmoid, SigmoidBackward, Dropout,
    Tanh, TanhBackward, LeakyRelu, LeakyReluBackward,
    Sgd, Momentum, Nesterov, AdaGrad, RmsProp, Adam,
}

/// <summary>
/// Every flat elementwise operation as one reusable piece of parallel work: the provider sets
/// the kind, pointers and scalars, then runs it on one thread (small tensors) or cut into
/// 16-element-aligned chunks on the worker team. Plain arithmetic goes to TensorPrimitives;
/// fused kernels it lacks go to <see cref="SimdMap"/>.
/// </summary>
internal sealed unsafe class ElementwiseWork : RangeWork
{
    public ElementwiseKind Kind;
    public float* A, B, C, D;
    public float S0, S1, S2, S3;
    public ulong Key, Threshold;

    protected override int Granularity => 16;

    protected override void ExecuteRange(int start, int end)
    {
        int n = end - start;
        float* a = A + start, b = B + start, c = C + start, d = D + start;
        switch (Kind)
        {
            case ElementwiseKind.Add: TensorPrimitives.Add(Span(a, n), Span(b, n), Span(c, n)); break;
            case ElementwiseKind.Multiply: TensorPrimitives.Multiply(Span(a, n), Span(b, n), Span(c, n)); break;
            case ElementwiseKind.Scale: TensorPrimitives.Multiply(Span(a, n), S0, Span(b, n)); break;
            case ElementwiseKind.Axpy: TensorPrimitives.MultiplyAdd(Span(a, n), S0, Span(b, n), Span(b, n)); break;
            case ElementwiseKind.Relu: TensorPrimitives.Max(Span(a, n), 0f, Span(b, n)); break;
            case ElementwiseKind.ReluBackward: SimdMap.Binary(new ReluBackwardOp(), a, b, c, n); break;
            case ElementwiseKind.Sigmoid: TensorPrimitives.Sigmoid(Span(a, n), Span(b, n)); break;
            case ElementwiseKind.SigmoidBackward: SimdMap.Binary(new SigmoidBackwardOp(), a, b, c, n); break;
            case ElementwiseKind.Tanh: TensorPrimitives.Tanh(Span(a, n), Span(b, n)); break;
            case ElementwiseKind.TanhBackward: SimdMap.Binary(new TanhBackwardOp(), a, b, c, n); break;
            case ElementwiseKind.LeakyRelu: SimdMap.Binary(new LeakyReluOp(S0), a, a, b, n); break;
            case ElementwiseKind.LeakyReluBackward: SimdMap.Binary(new LeakyReluBackwardOp(S0), a, b, c, n); break;
            case ElementwiseKind.Dropout: DropoutKernel.Forward(A, B, C, start, end, Key, Threshold); break;
            case ElementwiseKind.Sgd: SimdMap.Update(new SgdOp(S0, S1), a, b, null, null, n); break;
            case ElementwiseKind.Momentum: SimdMap.Update(new MomentumOp(S0, S1, S2), a, b, c, null, n); break;
            case ElementwiseKind.Nesterov: SimdMap.Update(new NesterovOp(S0, S1, S2), a, b, c, null, n); break;
            case ElementwiseKind.AdaGrad: SimdMap.Update(new AdaGradOp(S0, S1), a, b, c, null, n); break;
            case ElementwiseKind.RmsProp: SimdMap.Update(new RmsPropOp(S0, S1, S2), a, b, c, null, n); break;
            case ElementwiseKind.Adam: SimdMap.Update(new AdamOp(S0, S1, S2, S3), a, b, c, d, n); break;
            default: throw new InvalidOperationException("Unknown elementwise kernel " + Kind.ToString());
        }
    }

    private static Span<float> Span(float* p, int n) => new(p, n);
}
