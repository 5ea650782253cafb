namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Counts managed bytes allocated by a warm piece of work, robust to one-off runtime events.
/// A real per-call allocation shows up in every measurement window; tiered JIT recompiling a
/// method or a static constructor running late (both more likely on a loaded CI machine)
/// allocates once. So the work is measured in up to three windows and the smallest count is
/// returned: zero only when some whole window allocated nothing.
/// </summary>
public static class SteadyStateAllocation
{
    /// <param name="window">The measured work (several steps or calls).</param>
    /// <param name="otherThreads">Bytes allocated so far by the provider's worker threads, if any.</param>
    public static (long CallingThread, long Workers) Measure(Action window, Func<long>? otherThreads = null)
    {
        (long, long) best = (long.MaxValue, long.MaxValue);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long workersBefore = otherThreads?.Invoke() ?? 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            window();
            long thread = GC.GetAllocatedBytesForCurrentThread() - before;
            long workers = (otherThreads?.Invoke() ?? 0) - workersBefore;
            if (thread + workers < best.Item1 + best.Item2 || attempt == 0) best = (thread, workers);
            if (thread == 0 && workers == 0) break;
        }
        return best;
    }
}
