using Microsoft.Win32.SafeHandles;

namespace CnnNative.Providers.OpenCl.Interop;

// One SafeHandle per OpenCL object kind, wrapping the nint Silk.NET returns. Each releases
// its object exactly once with the matching clRelease* call through the process's one API
// object (never disposed, so a finalizer at exit can still call it); release never throws
// (a failing status is reported to the runtime as "release failed", which it ignores).
// OpenCL keeps an object's parents alive by reference counting (a cl_mem retains its
// context), so handles may be released in any order. Calls on the hot path pass
// DangerousGetHandle(): the provider owns every handle for as long as it issues commands.

internal sealed class ClContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClContextHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => OpenClLibrary.Api.ReleaseContext(handle) == ClStatus.Success;
}

internal sealed class ClCommandQueueHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClCommandQueueHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => OpenClLibrary.Api.ReleaseCommandQueue(handle) == ClStatus.Success;
}

internal sealed class ClProgramHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClProgramHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => OpenClLibrary.Api.ReleaseProgram(handle) == ClStatus.Success;
}

internal sealed class ClKernelHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClKernelHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => OpenClLibrary.Api.ReleaseKernel(handle) == ClStatus.Success;
}

internal sealed class ClMemHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ClMemHandle(nint handle) : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle() => OpenClLibrary.Api.ReleaseMemObject(handle) == ClStatus.Success;
}
