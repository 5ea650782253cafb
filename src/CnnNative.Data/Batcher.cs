using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Cuts a <see cref="Dataset"/> into mini-batches. For training, the samples are shuffled
/// once per epoch by a permutation that depends only on (seed, epoch) — Fisher–Yates driven by
/// <see cref="CounterRng"/> — and batches are taken in order from it, so every sample is seen
/// exactly once per epoch (the seeds' `001` scheme, not sampling with replacement). For
/// evaluation the order is the file order. The last, smaller batch is delivered unless
/// <see cref="DropLast"/> is set. <see cref="TryNext"/> fills spans the caller owns and
/// allocates nothing, so a training loop can reuse one pair of host buffers.
/// </summary>
public sealed class Batcher
{
    /// <summary>
    /// The stream namespace of shuffling in <see cref="CounterRng.StreamKey"/> ("SHUF" in the
    /// high bytes, the epoch in the low ones), kept apart from the streams of weight
    /// initialisation and dropout so the same seed never reuses numbers between them.
    /// </summary>
    public const ulong ShuffleStream = 0x5348_5546_0000_0000UL;

    private readonly int[]? _order;
    private int _orderEpoch = -1;
    private BatchShard _shard = BatchShard.Whole;
    private Augmentation _augmentation = Augmentation.None;

    /// <param name="data">The samples.</param>
    /// <param name="batchSize">Samples per batch (the last batch of an epoch may hold fewer).</param>
    /// <param name="shuffle">Shuffle once per epoch (training) or keep file order (evaluation).</param>
    /// <param name="seed">The run's seed; with the epoch it decides each epoch's order.</param>
    /// <param name="dropLast">Skip the last batch of an epoch when it is not full.</param>
    public Batcher(Dataset data, int batchSize, bool shuffle, ulong seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        BatchesPerEpoch = dropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
        if (BatchesPerEpoch == 0)
            throw new ArgumentException(
                $"Dataset '{data.Name}' has {data.Count} samples, fewer than one full batch of {batchSize}; use a smaller batch size or keep the last partial batch.",
                nameof(batchSize));
        if (shuffle) _order = new int[data.Count];
        Seek(new BatchPosition(0, 0));
    }

    /// <summary>A shuffling batcher for training.</summary>
    public static Batcher ForTraining(Dataset data, int batchSize, ulong seed, bool dropLast = false) =>
        new(data, batchSize, shuffle: true, seed, dropLast);

    /// <summary>An in-order batcher for evaluation; keeps the last partial batch so every sample counts.</summary>
    public static Batcher ForEvaluation(Dataset data, int batchSize) => new(data, batchSize, shuffle: false);

    /// <summary>The samples being batched (held, not copied).</summary>
    public Dataset Data { get; }

    /// <summary>Samples per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>True when each epoch has its own seeded order; false for file order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed that, with the epoch, decides the shuffled order (unused without <see cref="Shuffle"/>).</summary>
    public ulong Seed { get; }

    /// <summary>True when a last batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Samples delivered per epoch (all of them unless the last partial batch is dropped).</summary>
    public int SamplesPerEpoch => DropLast ? BatchesPerEpoch * BatchSize : Data.Count;

    /// <summary>
    /// Which part of every batch this process takes in data-parallel training: the batches stay
    /// those of one process (same order, same size), and rank r of K takes samples
    /// ⌊n·r/K⌋ … ⌊n·(r+1)/K⌋ − 1 of each batch of n. <see cref="BatchShard.Whole"/> by default.
    /// </summary>
    public BatchShard Shard
    {
        get => _shard;
        set
        {
            if (value.Count < 1)
                throw new ArgumentException("A shard needs at least one process; use BatchShard.Whole for a single process.");
            if (value.Count > 1 && SamplesInBatch(BatchesPerEpoch - 1) < value.Count)
                throw new ArgumentException(
                    $"The last batch of an epoch holds {SamplesInBatch(BatchesPerEpoch - 1)} samples ({Data.Count} samples in batches of {BatchSize}), fewer than the {value.Count} processes sharing it; choose a batch size that leaves each process at least one sample, or drop the last batch.");
            _shard = value;
        }
    }

    /// <summary>
    /// How each sample is changed as it enters a batch (<see cref="Augmentation.None"/> by
    /// default): drawn by (<see cref="Seed"/>, epoch, sample index), so the same sample in the
    /// same epoch is changed the same way in every process and after a <see cref="Seek"/>.
    /// </summary>
    /// <exception cref="FormatException">The sizes do not fit the data's images.</exception>
    public Augmentation Augmentation
    {
        get => _augmentation;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate(Data.Rows, Data.Columns);
            _augmentation = value;
        }
    }

    /// <summary>The next batch to be delivered.</summary>
    public BatchPosition Position { get; private set; }

    /// <summary>True when every batch of the current epoch has been delivered.</summary>
    public bool EpochFinished => Position.Batch >= BatchesPerEpoch;

    /// <summary>Host values one full batch of images needs: BatchSize × Data.SampleSize.</summary>
    public int ImageBufferLength => BatchSize * Data.SampleSize;

    /// <summary>
    /// Moves to <paramref name="position"/>: the start of an epoch, or the middle of one to
    /// resume a run exactly (the batch count is that of batches already taken).
    /// </summary>
    public void Seek(BatchPosition position)
    {
        if (position.Epoch < 0)
            throw new ArgumentOutOfRangeException(nameof(position), position, "The epoch must not be negative.");
        if (position.Batch < 0 || position.Batch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(position), position,
                $"The batch must be between 0 and {BatchesPerEpoch} (batches per epoch of {Data.Count} samples in batches of {BatchSize}).");
        if (_order is not null && _orderEpoch != position.Epoch)
        {
            FillPermutation(Seed, position.Epoch, _order);
            _orderEpoch = position.Epoch;
        }
        Position = position;
    }

    /// <summary>Moves to the start of <paramref name="epoch"/>.</summary>
    public void StartEpoch(int epoch) => Seek(new BatchPosition(epoch, 0));

    /// <summary>Samples in batch <paramref name="batch"/> of an epoch (BatchSize except perhaps the last).</summary>
    public int SamplesInBatch(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batch, BatchesPerEpoch);
        return Math.Min(BatchSize, Data.Count - batch * BatchSize);
    }

    /// <summary>
    /// Copies the next batch of the current epoch into <paramref name="images"/>
    /// ([count, C, H, W] values) and <paramref name="labels"/> ([count] class indices) and
    /// advances. Returns false, filling nothing, when the epoch is finished; call
    /// <see cref="StartEpoch"/> for the next one. The spans may be longer than the batch.
    /// </summary>
    public bool TryNext(Span<float> images, Span<float> labels, out int count)
    {
        BatchPosition position = Position;
        if (position.Batch >= BatchesPerEpoch)
        {
            count = 0;
            return false;
        }
        var (skip, take) = _shard.Part(SamplesInBatch(position.Batch));
        count = take;
        int sampleSize = Data.SampleSize;
        if (images.Length < count * sampleSize)
            throw new ArgumentException(
                $"The images buffer holds {images.Length} values; batch {position.Batch} needs {count} × {sampleSize}.", nameof(images));
        if (labels.Length < count)
            throw new ArgumentException(
                $"The labels buffer holds {labels.Length} values; batch {position.Batch} needs {count}.", nameof(labels));

        int first = position.Batch * BatchSize + skip;
        ReadOnlySpan<float> allImages = Data.Images;
        ReadOnlySpan<float> allLabels = Data.Labels;
        if (_order is null && _augmentation.IsNone)
        {
            allImages.Slice(first * sampleSize, count * sampleSize).CopyTo(images);
            allLabels.Slice(first, count).CopyTo(labels);
        }
        else
        {
            for (int k = 0; k < count; k++)
            {
                int sample = _order is null ? first + k : _order[first + k];
                var source = allImages.Slice(sample * sampleSize, sampleSize);
                var destination = images.Slice(k * sampleSize, sampleSize);
                if (_augmentation.IsNone) source.CopyTo(destination);
                else _augmentation.Apply(Seed, position.Epoch, sample, source, destination, Data.Channels, Data.Rows, Data.Columns);
                labels[k] = allLabels[sample];
            }
        }
        Position = new BatchPosition(position.Epoch, position.Batch + 1);
        return true;
    }

    /// <summary>
    /// The sample order of <paramref name="epoch"/> for a run seeded with <paramref name="seed"/>:
    /// Fisher–Yates from the last element down, swapping element i with j drawn uniformly
    /// from 0..i as the high word of Bits(key, i) × (i + 1) (Lemire's multiply, no modulo).
    /// </summary>
    public static void FillPermutation(ulong seed, int epoch, Span<int> order)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        for (int i = 0; i < order.Length; i++) order[i] = i;
        ulong key = CounterRng.StreamKey(seed, ShuffleStream + (ulong)epoch);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)Math.BigMul(CounterRng.Bits(key, (ulong)i), (ulong)(i + 1), out _);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
