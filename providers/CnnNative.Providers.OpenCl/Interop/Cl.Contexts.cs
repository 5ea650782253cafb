using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

internal static partial class Cl
{
    // ── 4.4 Contexts ───────────────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial ClContextHandle clCreateContext(nint* properties, uint numDevices, nint* devices,
        nint pfnNotify, nint userData, out int errcodeRet);

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clReleaseContext(nint context);
}
