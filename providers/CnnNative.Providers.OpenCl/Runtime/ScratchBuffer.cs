using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// A provider-internal device buffer that only grows (GEMM's packed B and split-K slices):
/// after the first few calls of a training run it has its final size and is never
/// reallocated. Replacing it while queued kernels still use the old one is safe: OpenCL
/// frees a released buffer only after the commands using it finish.
/// </summary>
internal sealed class ScratchBuffer(ClRuntime runtime) : IDisposable
{
    private ClMemHandle? _mem;
    private long _capacity;

    /// <summary>Current size on the device (0 before the first use and after disposal).</summary>
    public long Bytes => _mem is null ? 0 : _capacity * sizeof(float);

    public ClMemHandle Get(long floats)
    {
        if (_mem is null || floats > _capacity)
        {
            _mem?.Dispose();
            _mem = null;
            _capacity = Math.Max(floats, _capacity + _capacity / 2);
            _mem = runtime.CreateBuffer(_capacity * sizeof(float));
        }
        return _mem;
    }

    public void Dispose()
    {
        _mem?.Dispose();
        _mem = null;
    }
}
