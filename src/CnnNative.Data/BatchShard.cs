namespace CnnNative.Data;

/// <summary>
/// Process <see cref="Rank"/>'s part of each batch when <see cref="Count"/> processes train
/// one model together (data-parallel): the batch of n samples is cut into contiguous parts of
/// ⌊n/K⌋ or ⌈n/K⌉, in rank order, so the parts together are exactly the one-process batch.
/// </summary>
public readonly record struct BatchShard
{
    /// <summary>Creates rank <paramref name="rank"/>'s part of <paramref name="count"/>.</summary>
    public BatchShard(int rank, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, count);
        Rank = rank;
        Count = count;
    }

    /// <summary>The whole batch: one process.</summary>
    public static BatchShard Whole => new(0, 1);

    /// <summary>This process's index among <see cref="Count"/>.</summary>
    public int Rank { get; }

    /// <summary>How many processes share each batch.</summary>
    public int Count { get; }

    /// <summary>The samples of a batch of <paramref name="samples"/> to skip, then to take.</summary>
    public (int Skip, int Take) Part(int samples)
    {
        int start = (int)((long)samples * Rank / Count);
        int end = (int)((long)samples * (Rank + 1) / Count);
        return (start, end - start);
    }
}
