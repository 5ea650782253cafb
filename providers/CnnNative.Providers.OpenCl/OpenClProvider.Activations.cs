using CnnNative.Core;

namespace CnnNative.Providers.OpenCl;

// Tanh and leaky ReLU (kernels: activation.cl).
public sealed partial class OpenClProvider
{
    /// <inheritdoc/>
    protected override void TanhForwardCore(Tensor x, Tensor y) =>
        Launch(Kernels.TanhForward).Mem(x).Mem(y).I32(x.Length).Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void TanhBackwardCore(Tensor dy, Tensor y, Tensor dx) =>
        Launch(Kernels.TanhBackward).Mem(dy).Mem(y).Mem(dx).I32(dy.Length).Run1(dy.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void LeakyReluForwardCore(Tensor x, float slope, Tensor y) =>
        Launch(Kernels.LeakyReluForward).Mem(x).F32(slope).Mem(y).I32(x.Length).Run1(x.Length, _tuning.ElementwiseLocal);

    /// <inheritdoc/>
    protected override void LeakyReluBackwardCore(Tensor dy, Tensor y, float slope, Tensor dx) =>
        Launch(Kernels.LeakyReluBackward).Mem(dy).Mem(y).F32(slope).Mem(dx).I32(dy.Length).Run1(dy.Length, _tuning.ElementwiseLocal);
}
