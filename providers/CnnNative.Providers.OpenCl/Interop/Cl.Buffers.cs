using System.Runtime.InteropServices;

namespace CnnNative.Providers.OpenCl.Interop;

internal static partial class Cl
{
    // ── 5.2 Buffer objects ─────────────────────────────────────────────────────────────────
    // We never pass events: the queue is in order, so each command sees the previous ones'
    // results, and blocking reads/writes are the only synchronisation the host needs.

    [LibraryImport(OpenClLibrary.Name)]
    public static partial ClMemHandle clCreateBuffer(ClContextHandle context, ulong flags, nuint size, nint hostPtr, out int errcodeRet);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clEnqueueReadBuffer(ClCommandQueueHandle commandQueue, ClMemHandle buffer, uint blockingRead,
        nuint offset, nuint size, void* ptr, uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clEnqueueWriteBuffer(ClCommandQueueHandle commandQueue, ClMemHandle buffer, uint blockingWrite,
        nuint offset, nuint size, void* ptr, uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clEnqueueCopyBuffer(ClCommandQueueHandle commandQueue, ClMemHandle srcBuffer, ClMemHandle dstBuffer,
        nuint srcOffset, nuint dstOffset, nuint size, uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    [LibraryImport(OpenClLibrary.Name)]
    public static unsafe partial int clEnqueueFillBuffer(ClCommandQueueHandle commandQueue, ClMemHandle buffer, void* pattern,
        nuint patternSize, nuint offset, nuint size, uint numEventsInWaitList, nint* eventWaitList, nint* evt);

    // ── 5.4 Memory objects ─────────────────────────────────────────────────────────────────

    [LibraryImport(OpenClLibrary.Name)]
    public static partial int clReleaseMemObject(nint memobj);
}
