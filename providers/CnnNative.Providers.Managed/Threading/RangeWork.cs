namespace CnnNative.Providers.Managed.Threading;

/// <summary>
/// Work over items 0 … <see cref="Count"/> − 1 (images, planes, channels, elements) cut into
/// contiguous chunks, one per piece. Subclasses hold the kernel's arguments in fields.
/// </summary>
internal abstract class RangeWork : IParallelWork
{
    /// <summary>Items to process; set before each run.</summary>
    public int Count { get; set; }

    /// <summary>Chunks are multiples of this many items (a vector width, so chunks start aligned).</summary>
    protected virtual int Granularity => 1;

    public void Execute(int part, int parts)
    {
        var (start, end) = Chunk(Count, part, parts, Granularity);
        if (start < end) ExecuteRange(start, end);
    }

    /// <summary>Processes items [start, end).</summary>
    protected abstract void ExecuteRange(int start, int end);

    /// <summary>Piece <paramref name="part"/> of <paramref name="count"/> items split into <paramref name="parts"/> near-equal chunks.</summary>
    public static (int Start, int End) Chunk(int count, int part, int parts, int granularity = 1)
    {
        long units = (count + (long)granularity - 1) / granularity;
        long start = units * part / parts * granularity;
        long end = units * (part + 1) / parts * granularity;
        return ((int)Math.Min(start, count), (int)Math.Min(end, count));
    }
}
