using CnnNative.Tests.Infrastructure;
using CnnNative.Data;

namespace CnnNative.Tests.Data;

public sealed class BatcherTests
{
    /// <summary>Sample i has pixels (i, −i) and label i mod 10, so a batch says which samples it holds.</summary>
    private static Dataset Numbered(int count)
    {
        var images = new float[count * 2];
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            images[2 * i] = i;
            images[2 * i + 1] = -i;
            labels[i] = i % 10;
        }
        return new Dataset("numbered", images, labels, 1, 1, 2, ClassNames.Digits);
    }

    /// <summary>Takes every remaining batch of the current epoch; checks images and labels agree.</summary>
    private static List<int[]> Drain(Batcher batcher)
    {
        var images = new float[batcher.ImageBufferLength];
        var labels = new float[batcher.BatchSize];
        var batches = new List<int[]>();
        while (batcher.TryNext(images, labels, out int count))
        {
            var ids = new int[count];
            for (int k = 0; k < count; k++)
            {
                ids[k] = (int)images[2 * k];
                Assert.Equal(-ids[k], images[2 * k + 1]);
                Assert.Equal(ids[k] % 10, labels[k]);
            }
            batches.Add(ids);
        }
        return batches;
    }

    private static int[] Flatten(List<int[]> batches) => batches.SelectMany(b => b).ToArray();

    [Fact]
    public void Every_sample_is_seen_exactly_once_per_epoch_with_the_partial_batch_last()
    {
        var batcher = Batcher.ForTraining(Numbered(103), batchSize: 10, seed: 42);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            batcher.StartEpoch(epoch);
            List<int[]> batches = Drain(batcher);

            Assert.Equal(11, batches.Count);
            Assert.All(batches.Take(10), b => Assert.Equal(10, b.Length));
            Assert.Equal(3, batches[10].Length);
            Assert.Equal(Enumerable.Range(0, 103), Flatten(batches).Order());
            Assert.True(batcher.EpochFinished);
        }
    }

    [Fact]
    public void Drop_last_skips_the_partial_batch()
    {
        var batcher = Batcher.ForTraining(Numbered(103), batchSize: 10, seed: 1, dropLast: true);

        List<int[]> batches = Drain(batcher);

        Assert.Equal(10, batcher.BatchesPerEpoch);
        Assert.Equal(100, batcher.SamplesPerEpoch);
        Assert.All(batches, b => Assert.Equal(10, b.Length));
        Assert.Equal(100, Flatten(batches).Distinct().Count());
    }

    [Fact]
    public void The_order_differs_between_epochs_and_is_not_the_file_order()
    {
        var batcher = Batcher.ForTraining(Numbered(200), batchSize: 16, seed: 7);

        int[] epoch0 = Flatten(Drain(batcher));
        batcher.StartEpoch(1);
        int[] epoch1 = Flatten(Drain(batcher));

        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(Enumerable.Range(0, 200), epoch0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_and_another_seed_a_different_one()
    {
        Dataset data = Numbered(150);
        int[] a = Flatten(Drain(Batcher.ForTraining(data, 32, seed: 5)));
        int[] b = Flatten(Drain(Batcher.ForTraining(data, 32, seed: 5)));
        int[] c = Flatten(Drain(Batcher.ForTraining(data, 32, seed: 6)));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void The_permutation_depends_on_seed_and_epoch_only_not_on_batch_size()
    {
        Dataset data = Numbered(77);
        var small = Batcher.ForTraining(data, 5, seed: 9);
        var large = Batcher.ForTraining(data, 30, seed: 9);
        small.StartEpoch(2);
        large.StartEpoch(2);
        var expected = new int[77];
        Batcher.FillPermutation(9, 2, expected);

        Assert.Equal(expected, Flatten(Drain(small)));
        Assert.Equal(expected, Flatten(Drain(large)));
    }

    [Fact]
    public void Resuming_from_a_saved_position_reproduces_the_rest_of_the_run()
    {
        Dataset data = Numbered(95);
        var uninterrupted = Batcher.ForTraining(data, 10, seed: 3);
        var all = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            uninterrupted.StartEpoch(epoch);
            all.AddRange(Drain(uninterrupted));
        }

        // Stop after batch 4 of epoch 1, as a checkpoint would, and continue in a new batcher.
        var first = Batcher.ForTraining(data, 10, seed: 3);
        Drain(first);
        first.StartEpoch(1);
        var images = new float[first.ImageBufferLength];
        var labels = new float[10];
        for (int i = 0; i < 4; i++) first.TryNext(images, labels, out _);
        BatchPosition saved = first.Position;
        Assert.Equal(new BatchPosition(1, 4), saved);

        var resumed = Batcher.ForTraining(data, 10, seed: 3);
        resumed.Seek(saved);
        var rest = Drain(resumed);
        resumed.StartEpoch(2);
        rest.AddRange(Drain(resumed));

        int skipped = first.BatchesPerEpoch + 4;
        Assert.Equal(all.Skip(skipped).Select(b => string.Join(",", b)), rest.Select(b => string.Join(",", b)));
    }

    [Fact]
    public void Evaluation_keeps_the_file_order_and_the_last_partial_batch()
    {
        var batcher = Batcher.ForEvaluation(Numbered(25), batchSize: 10);

        List<int[]> batches = Drain(batcher);

        Assert.Equal(Enumerable.Range(0, 25), Flatten(batches));
        Assert.Equal([10, 10, 5], batches.Select(b => b.Length));
    }

    [Fact]
    public void Taking_batches_allocates_nothing()
    {
        var batcher = Batcher.ForTraining(Numbered(500), batchSize: 32, seed: 11);
        var images = new float[batcher.ImageBufferLength];
        var labels = new float[32];
        Exercise(batcher, images, labels, epochs: 1); // JIT and first permutation out of the way

        long allocated = SteadyStateAllocation.Measure(() => Exercise(batcher, images, labels, epochs: 3)).CallingThread;

        Assert.Equal(0, allocated);
    }

    private static void Exercise(Batcher batcher, float[] images, float[] labels, int epochs)
    {
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            batcher.StartEpoch(epoch + 1);
            while (batcher.TryNext(images, labels, out _)) { }
        }
    }

    [Fact]
    public void Too_small_buffers_and_bad_positions_are_rejected()
    {
        var batcher = Batcher.ForTraining(Numbered(20), batchSize: 8, seed: 0);

        Assert.Throws<ArgumentException>(() => batcher.TryNext(new float[15], new float[8], out _));
        Assert.Throws<ArgumentException>(() => batcher.TryNext(new float[16], new float[7], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => batcher.Seek(new BatchPosition(0, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => batcher.Seek(new BatchPosition(-1, 0)));
        Assert.Throws<ArgumentException>(() => Batcher.ForTraining(Numbered(5), batchSize: 8, seed: 0, dropLast: true));
        Assert.Equal(new BatchPosition(0, 0), batcher.Position);
    }

    [Fact]
    public void Every_ordering_of_three_samples_is_about_equally_likely()
    {
        var counts = new Dictionary<string, int>();
        var order = new int[3];
        const int epochs = 6000;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Batcher.FillPermutation(2024, epoch, order);
            string key = string.Join("", order);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(6, counts.Count);
        // Expected 1000 each; a fair shuffle stays within ±15 % with overwhelming probability.
        Assert.All(counts.Values, n => Assert.InRange(n, 850, 1150));
    }
}
