using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Tests.Managed;

public sealed class WorkerPoolTests
{
    private sealed class CountingWork(int parts) : IParallelWork
    {
        public readonly int[] Hits = new int[parts];
        public void Execute(int part, int parts) => Interlocked.Increment(ref Hits[part]);
    }

    private sealed class FailingWork : IParallelWork
    {
        public int Done;
        public void Execute(int part, int parts)
        {
            if (part == 1) throw new InvalidDataException("piece 1 failed");
            Interlocked.Increment(ref Done);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 7)]
    [InlineData(4, 3)]
    [InlineData(3, 64)]
    public void Every_piece_runs_exactly_once_over_many_runs(int threads, int parts)
    {
        using var pool = new WorkerPool(threads);
        for (int run = 0; run < 2000; run++)
        {
            var work = new CountingWork(parts);
            pool.Run(work, parts);
            Assert.All(work.Hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void A_failing_piece_is_rethrown_after_the_others_finish()
    {
        using var pool = new WorkerPool(2);
        var work = new FailingWork();
        var e = Assert.Throws<InvalidDataException>(() => pool.Run(work, 4));
        Assert.Equal("piece 1 failed", e.Message);
        Assert.Equal(3, work.Done);
        // The pool still works afterwards.
        var next = new CountingWork(5);
        pool.Run(next, 5);
        Assert.All(next.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public async Task Concurrent_use_from_two_threads_is_reported()
    {
        using var pool = new WorkerPool(2);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingWork(inside, release);
        var first = Task.Run(() => pool.Run(blocking, 2));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)));
        var e = Assert.Throws<InvalidOperationException>(() => pool.Run(new CountingWork(2), 2));
        Assert.Contains("two threads", e.Message);
        release.Set();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class BlockingWork(ManualResetEventSlim inside, ManualResetEventSlim release) : IParallelWork
    {
        public void Execute(int part, int parts)
        {
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void Chunks_cover_the_range_without_gaps()
    {
        foreach (int count in new[] { 0, 1, 5, 16, 17, 1000 })
            foreach (int parts in new[] { 1, 2, 3, 7 })
                foreach (int granularity in new[] { 1, 16 })
                {
                    int next = 0;
                    for (int p = 0; p < parts; p++)
                    {
                        var (start, end) = RangeWork.Chunk(count, p, parts, granularity);
                        if (start >= end) continue;
                        Assert.Equal(next, start);
                        Assert.True(start % granularity == 0);
                        next = end;
                    }
                    Assert.Equal(count, next);
                }
    }
}
