using System.Runtime.InteropServices;

namespace CnnNative.Providers.Managed;

/// <summary>
/// Native allocations for tensors and kernel work areas. Everything is 64-byte aligned (one
/// cache line, one Vector512). Large blocks (2 MiB and up) on Linux are 2 MiB aligned and asked
/// to be backed by transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>, which Debian's default
/// "madvise" mode honours): the kernels stream tensors of tens of megabytes with strided reads,
/// and with 4 KiB pages those walks miss the TLB — the long-K weight-gradient GEMM
/// (30×25×57600) lost a quarter of its speed to it. Where huge pages are off or
/// unavailable the advice is ignored and the block is an ordinary one.
/// </summary>
internal static unsafe partial class HostMemory
{
    private const nuint HugePage = 2 << 20;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE in <sys/mman.h> (Linux, every architecture)

    /// <summary>At least <paramref name="bytes"/> bytes, 64-byte aligned, contents undefined; release with <see cref="Free"/>.</summary>
    public static void* Allocate(nuint bytes)
    {
        if (bytes < HugePage || !OperatingSystem.IsLinux()) return NativeMemory.AlignedAlloc(bytes, 64);
        nuint rounded = (bytes + HugePage - 1) / HugePage * HugePage;
        void* memory = NativeMemory.AlignedAlloc(rounded, HugePage);
        // Advice only: a failure (an old kernel, THP disabled) leaves ordinary pages.
        _ = Madvise(memory, rounded, MadviseHugePage);
        return memory;
    }

    /// <summary>Releases a block from <see cref="Allocate"/>.</summary>
    public static void Free(void* memory) => NativeMemory.AlignedFree(memory);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = false)]
    private static partial int Madvise(void* address, nuint length, int advice);
}
