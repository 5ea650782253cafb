using System.Runtime.ExceptionServices;

namespace CnnNative.Providers.Managed.Threading;

/// <summary>
/// A small persistent thread team: <c>threads − 1</c> dedicated background workers plus the
/// calling thread. <see cref="Run"/> hands every thread the same <see cref="IParallelWork"/>;
/// threads take pieces from a shared counter until none are left, so uneven pieces balance
/// themselves. Nothing is allocated per run (the work object is stored in a field; the
/// events are created once), which is why this exists instead of <c>Parallel.For</c>.
/// Workers spin briefly on their event before blocking, so back-to-back kernels of a
/// training step do not pay a full wake-up each time, without burning a core when idle.
/// A pool serves one caller at a time, like a device stream; concurrent use is reported.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    // Spins before a waiting worker blocks (ManualResetEventSlim spins with SpinWait, yielding as it goes).
    private const int SpinCount = 200;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false, SpinCount);

    private IParallelWork? _work;
    private int _parts;
    private int _nextPart;
    private int _pending;
    private int _busy;
    private volatile bool _stopping;
    private ExceptionDispatchInfo? _failure;
    private readonly long[] _workerAllocated;

    public WorkerPool(int threads)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "A worker pool needs at least one thread (the caller).");
        Threads = threads;
        _threads = new Thread[threads - 1];
        _start = new ManualResetEventSlim[threads - 1];
        _workerAllocated = new long[threads - 1];
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
        // block once now so that a warm Run never allocates (workers do the same for their
        // own events when they first go idle).
        _done.Wait(1);
    }

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

    /// <summary>Threads that run work, the caller included.</summary>
    public int Threads { get; }

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
            int helpers = Math.Min(_threads.Length, parts - 1);
            _work = work;
            _parts = parts;
            _nextPart = 0;
            _failure = null;
            _pending = helpers;
            _done.Reset();
            for (int i = 0; i < helpers; i++) _start[i].Set();
            Drain();
            if (helpers > 0) _done.Wait();
            _work = null;
            _failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Drain()
    {
        IParallelWork work = _work!;
        int parts = _parts;
        int p;
        while ((p = Interlocked.Increment(ref _nextPart) - 1) < parts)
        {
            try
            {
                work.Execute(p, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
        }
    }

    private void WorkerLoop(object? state)
    {
        int index = (int)state!;
        var start = _start[index];
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_stopping) return;
            Drain();
            Volatile.Write(ref _workerAllocated[index], GC.GetAllocatedBytesForCurrentThread());
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
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
