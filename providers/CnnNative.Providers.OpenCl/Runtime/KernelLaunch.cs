using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Sets a kernel's arguments in order and enqueues it, without allocating:
/// <c>Launch(k).Mem(x).Mem(y).I32(n).Run1(n, local)</c>. Each setter checks its status and
/// returns the launch with the next argument index. Global sizes are rounded up to a
/// multiple of the local size; kernels guard the excess work-items themselves.
/// </summary>
internal readonly ref struct KernelLaunch
{
    private readonly ClRuntime _runtime;
    private readonly ClKernelHandle _kernel;
    private readonly uint _index;

    public KernelLaunch(ClRuntime runtime, ClKernelHandle kernel, uint index = 0)
    {
        _runtime = runtime;
        _kernel = kernel;
        _index = index;
    }

    /// <summary>A buffer argument: the value is the cl_mem handle itself.</summary>
    public unsafe KernelLaunch Mem(Tensor tensor)
    {
        nint mem = ((ClBuffer)tensor.Buffer).Mem.DangerousGetHandle();
        return Set((nuint)sizeof(nint), &mem);
    }

    /// <summary>A provider-internal buffer (GEMM workspace).</summary>
    public unsafe KernelLaunch Mem(ClMemHandle mem)
    {
        nint handle = mem.DangerousGetHandle();
        return Set((nuint)sizeof(nint), &handle);
    }

    public unsafe KernelLaunch I32(int value) => Set(sizeof(int), &value);

    public unsafe KernelLaunch F32(float value) => Set(sizeof(float), &value);

    public unsafe KernelLaunch U64(ulong value) => Set(sizeof(ulong), &value);

    /// <summary>A divisor as the uint2 (multiplier, shift) that fdiv in common.cl expects.</summary>
    public unsafe KernelLaunch Div(int divisor)
    {
        var (m, s) = FastDivisor.For(divisor);
        uint* pair = stackalloc uint[2] { m, s };
        return Set(2 * sizeof(uint), pair);
    }

    public unsafe void Run1(int global, int local)
    {
        nuint* g = stackalloc nuint[1] { RoundUp(global, local) };
        nuint* l = stackalloc nuint[1] { (nuint)local };
        Enqueue(1, g, l);
    }

    public unsafe void Run2(int global0, int global1, int local0, int local1)
    {
        nuint* g = stackalloc nuint[2] { RoundUp(global0, local0), RoundUp(global1, local1) };
        nuint* l = stackalloc nuint[2] { (nuint)local0, (nuint)local1 };
        Enqueue(2, g, l);
    }

    public unsafe void Run3(int global0, int global1, int global2, int local0, int local1, int local2)
    {
        nuint* g = stackalloc nuint[3] { RoundUp(global0, local0), RoundUp(global1, local1), RoundUp(global2, local2) };
        nuint* l = stackalloc nuint[3] { (nuint)local0, (nuint)local1, (nuint)local2 };
        Enqueue(3, g, l);
    }

    private unsafe KernelLaunch Set(nuint size, void* value)
    {
        ClStatus.Check(_runtime.Api.SetKernelArg(_kernel.DangerousGetHandle(), _index, size, value), "clSetKernelArg");
        return new KernelLaunch(_runtime, _kernel, _index + 1);
    }

    private unsafe void Enqueue(uint dims, nuint* global, nuint* local)
    {
        ClStatus.Check(_runtime.Api.EnqueueNdrangeKernel(_runtime.QueueId, _kernel.DangerousGetHandle(), dims, null, global, local, 0, null, null),
            "clEnqueueNDRangeKernel");
        _runtime.Enqueued();
    }

    private static nuint RoundUp(int value, int multiple) => (nuint)(((long)value + multiple - 1) / multiple * multiple);
}
