using System.Runtime.InteropServices;

namespace CnnNative.Bench.Profile;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, a vDSO
/// call of tens of nanoseconds). On a machine shared with other work, wall time per operation
/// includes the time the thread waited for a core; CPU time does not, so a one-thread profile
/// in CPU time shows what the operations cost on a quiet machine. Elsewhere it reports 0.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // The versioned soname: plain "libc.so" is a linker script on Debian, which dlopen rejects.
    [LibraryImport("libc.so.6", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    public static bool Available { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>The thread's CPU time in nanoseconds, or 0 where it cannot be read.</summary>
    public static long Nanoseconds()
    {
        if (!Available || ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) return 0;
        return t.Seconds * 1_000_000_000L + t.Nanoseconds;
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
