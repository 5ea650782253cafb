using CnnNative.Core;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed;

// Tanh and leaky ReLU, on the shared elementwise work (OpenBLAS inherits them).
public partial class ManagedProvider
{
    /// <inheritdoc/>
    protected override unsafe void TanhForwardCore(Tensor x, Tensor y) =>
        RunElementwise(ElementwiseKind.Tanh, x.Length, Ptr(x), Ptr(y), compute: true);

    /// <inheritdoc/>
    protected override unsafe void TanhBackwardCore(Tensor dy, Tensor y, Tensor dx) =>
        RunElementwise(ElementwiseKind.TanhBackward, dy.Length, Ptr(dy), Ptr(y), Ptr(dx));

    /// <inheritdoc/>
    protected override unsafe void LeakyReluForwardCore(Tensor x, float slope, Tensor y) =>
        RunElementwise(ElementwiseKind.LeakyRelu, x.Length, Ptr(x), Ptr(y), s0: slope);

    /// <inheritdoc/>
    protected override unsafe void LeakyReluBackwardCore(Tensor dy, Tensor y, float slope, Tensor dx) =>
        RunElementwise(ElementwiseKind.LeakyReluBackward, dy.Length, Ptr(dy), Ptr(y), Ptr(dx), s0: slope);
}
