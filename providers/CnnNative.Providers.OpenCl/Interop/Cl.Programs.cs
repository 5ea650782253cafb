using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

internal static partial class Cl
{
    // ── 5.6 Program objects ────────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial ClProgramHandle clCreateProgramWithSource(ClContextHandle context, uint count, byte** strings,
        nuint* lengths, out int errcodeRet);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clBuildProgram(ClProgramHandle program, uint numDevices, nint* deviceList, byte* options,
        nint pfnNotify, nint userData);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clGetProgramBuildInfo(ClProgramHandle program, nint device, uint paramName,
        nuint paramValueSize, void* paramValue, out nuint paramValueSizeRet);

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clReleaseProgram(nint program);
}
