using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>A <c>cl_mem</c> of <see cref="DeviceBuffer.Length"/> floats owned by one <see cref="OpenClProvider"/>.</summary>
internal sealed class ClBuffer : DeviceBuffer
{
    private readonly OpenClProvider _owner;

    public ClBuffer(OpenClProvider owner, ClMemHandle mem, int length) : base(owner, length)
    {
        _owner = owner;
        Mem = mem;
    }

    public ClMemHandle Mem { get; }

    protected override void Release()
    {
        Mem.Dispose();
        _owner.OnBufferReleased(this);
    }
}
