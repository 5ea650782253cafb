using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

internal static partial class Cl
{
    // ── 5.1 Command queues ─────────────────────────────────────────────────────────────────

    /// <summary>Deprecated in 2.0 but present in every ICD loader; we need nothing newer.</summary>
    [LibraryImport(OpenClLibrary.Name)]
    public static partial ClCommandQueueHandle clCreateCommandQueue(ClContextHandle context, nint device,
        ulong properties, out int errcodeRet);

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clReleaseCommandQueue(nint commandQueue);

    // ── 5.13 Flush and finish ──────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clFlush(ClCommandQueueHandle commandQueue);

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clFinish(ClCommandQueueHandle commandQueue);
}
