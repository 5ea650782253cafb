using Microsoft.Win32.SafeHandles;

namespace CnnNative.Providers.OpenCl.Interop;

// One SafeHandle per OpenCL object kind. Each releases its object exactly once with the
// matching clRelease* call; release never throws (a failing status is reported to the
// runtime as "release failed", which it ignores). OpenCL keeps an object's parents alive by
// reference counting (a cl_mem retains its context), so handles may be released in any order.

internal sealed class ClContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClContextHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => Cl.clReleaseContext(handle) == ClStatus.Success;
}

internal sealed class ClCommandQueueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClCommandQueueHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => Cl.clReleaseCommandQueue(handle) == ClStatus.Success;
}

internal sealed class ClProgramHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClProgramHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => Cl.clReleaseProgram(handle) == ClStatus.Success;
}

internal sealed class ClKernelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClKernelHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => Cl.clReleaseKernel(handle) == ClStatus.Success;
}

internal sealed class ClMemHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClMemHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => Cl.clReleaseMemObject(handle) == ClStatus.Success;
}
