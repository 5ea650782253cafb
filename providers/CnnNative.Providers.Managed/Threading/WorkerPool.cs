using System.Runtime.ExceptionServices;

namespace CnnNative.Providers.Managed.Threading;

/// <summary>
/// A small persistent thread team: <c>threads − 1</c> dedicated background workers plus the
/// calling thread. <see cref="Run"/> hands every thread the same <see cref="IParallelWork"/>;
/// threads claim pieces from a shared cursor until none are left, so uneven pieces balance
/// themselves and — on a busy machine — a worker that has not woken up yet is simply not
/// waited for: the caller takes its pieces, and a run ends when its pieces are done, not when
/// every worker has reported. Nothing is allocated per run (the work object sits in a field,
/// the events exist once), which is why this exists instead of <c>Parallel.For</c>.
/// Idle workers spin briefly on their event before blocking, so back-to-back kernels of a
/// training step do not each pay a full wake-up, without burning a core while idle.
/// A pool serves one caller at a time, like a device stream; concurrent use is reported.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    // Spins before a waiting thread blocks (ManualResetEventSlim spins with SpinWait, yielding as it goes).
    private const int SpinCount = 200;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false, SpinCount);
    private readonly long[] _workerAllocated;

    // The run in progress: generation in the high 32 bits, next unclaimed piece in the low 32.
    // A claim is a compare-and-swap on both, so a worker that wakes late for a finished run
    // can never take a piece of it or of the next one by mistake.
    private long _cursor;
    private uint _generation;
    private IParallelWork? _work;
    private int _parts;
    private int _remaining;
    private int _busy;
    private volatile bool _stopping;
    private ExceptionDispatchInfo? _failure;
    private CountdownEvent? _ready;

    public WorkerPool(int threads)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "A worker pool needs at least one thread (the caller).");
        Threads = threads;
        _threads = new Thread[threads - 1];
        _start = new ManualResetEventSlim[threads - 1];
        _workerAllocated = new long[threads - 1];
        using var ready = new CountdownEvent(_threads.Length);
        _ready = ready;
        for (int i = 0; i < _threads.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, SpinCount);
            _threads[i] = new Thread(WorkerLoop, maxStackSize: 1 << 20)
            {
                IsBackground = true,
                Name = "CnnNative managed worker " + (i + 1),
            };
            _threads[i].Start(i);
        }
        // ManualResetEventSlim creates its lock object the first time a thread blocks on it;
        // every thread blocks once now (workers on their start events, before they report
        // ready), so that no Run ever allocates it.
        _done.Wait(1);
        if (_threads.Length > 0) ready.Wait();
        _ready = null;
    }

    /// <summary>Threads that run work, the caller included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Managed bytes the worker threads have allocated so far, as of the end of their last
    /// piece of work (diagnostics: proves kernels allocate nothing off the calling thread).
    /// </summary>
    internal long WorkerAllocatedBytes
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _workerAllocated.Length; i++) total += Volatile.Read(ref _workerAllocated[i]);
            return total;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for pieces 0 … <paramref name="parts"/> − 1 and returns when
    /// all are done. The first exception a piece throws is rethrown here (the other pieces still finish).
    /// </summary>
    public void Run(IParallelWork work, int parts)
    {
        if (parts <= 0) return;
        if (parts == 1 || _threads.Length == 0)
        {
            for (int p = 0; p < parts; p++) work.Execute(p, parts);
            return;
        }
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException(
                "The managed provider was called from two threads at once. A provider instance is a single stream of work; give each thread its own provider.");
        try
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _failure = null;
            _work = work;
            _parts = parts;
            _remaining = parts;
            Volatile.Write(ref _cursor, (long)++_generation << 32); // publishes the fields above
            int helpers = Math.Min(_threads.Length, parts - 1);
            for (int i = 0; i < helpers; i++) _start[i].Set();
            // If a worker finishes the last piece it sets _done; wait for that signal before
            // resetting, so it cannot arrive late and release the next run early.
            if (!Drain()) _done.Wait();
            _done.Reset();
            _work = null;
            _failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs pieces of the current run; true when this thread finished its last piece.</summary>
    private bool Drain()
    {
        bool finishedLast = false;
        while (true)
        {
            long cursor = Volatile.Read(ref _cursor);
            IParallelWork? work = Volatile.Read(ref _work);
            int parts = Volatile.Read(ref _parts);
            int next = (int)(uint)cursor;
            if (work is null || next >= parts) return finishedLast;
            if (Interlocked.CompareExchange(ref _cursor, cursor + 1, cursor) != cursor) continue;
            // The cursor had not moved, so the run it names is unfinished and work/parts are its own.
            try
            {
                work.Execute(next, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            if (Interlocked.Decrement(ref _remaining) == 0) finishedLast = true;
        }
    }

    private void WorkerLoop(object? state)
    {
        int index = (int)state!;
        var start = _start[index];
        start.Wait(1); // blocks once (the start event is unset until the constructor returns)
        // What the thread allocated to get here (thread start, the event's lock) is the baseline.
        Volatile.Write(ref _workerAllocated[index], GC.GetAllocatedBytesForCurrentThread());
        _ready!.Signal();
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_stopping) return;
            bool finishedLast = Drain();
            Volatile.Write(ref _workerAllocated[index], GC.GetAllocatedBytesForCurrentThread());
            if (finishedLast) _done.Set();
        }
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        foreach (var e in _start) e.Set();
        foreach (var t in _threads) t.Join();
        foreach (var e in _start) e.Dispose();
        _done.Dispose();
    }
}
