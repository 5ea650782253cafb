using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>
/// Raw OpenCL 1.2 entry points, names verbatim, one partial file per specification chapter.
/// Every call returns (or writes) a <c>cl_int</c> status that callers pass to
/// <see cref="ClStatus.Check"/>. Platform and device ids are plain pointers: root devices
/// and platforms are never released.
/// </summary>
internal static partial class Cl
{
    // The resolver must exist before the runtime binds the first entry point below.
    static Cl() => OpenClLibrary.Register();

    // ── 4.1 Querying platform info ─────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clGetPlatformIDs(uint numEntries, nint* platforms, out uint numPlatforms);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clGetPlatformInfo(nint platform, uint paramName, nuint paramValueSize, void* paramValue, out nuint paramValueSizeRet);

    // ── 4.2 Querying devices ───────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clGetDeviceIDs(nint platform, ulong deviceType, uint numEntries, nint* devices, out uint numDevices);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clGetDeviceInfo(nint device, uint paramName, nuint paramValueSize, void* paramValue, out nuint paramValueSizeRet);
}
