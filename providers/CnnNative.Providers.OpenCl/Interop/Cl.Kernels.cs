using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

internal static partial class Cl
{
    // ── 5.7 Kernel objects ─────────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ClKernelHandle clCreateKernel(ClProgramHandle program, string kernelName, out int errcodeRet);

    /// <summary>argSize is the size of the value: sizeof(cl_mem) for a buffer, 4 for int/float, 8 for ulong.</summary>
    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clSetKernelArg(ClKernelHandle kernel, uint argIndex, nuint argSize, void* argValue);

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clReleaseKernel(nint kernel);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clGetKernelWorkGroupInfo(ClKernelHandle kernel, nint device, uint paramName,
        nuint paramValueSize, void* paramValue, out nuint paramValueSizeRet);

    // ── 5.8 Executing kernels ──────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clEnqueueNDRangeKernel(ClCommandQueueHandle commandQueue, ClKernelHandle kernel, uint workDim,
        nuint* globalWorkOffset, nuint* globalWorkSize, nuint* localWorkSize,
        uint numEventsInWaitList, nint* eventWaitList, nint* evt);
}
