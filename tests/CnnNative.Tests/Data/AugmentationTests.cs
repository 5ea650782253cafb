using CnnNative.Core;
using CnnNative.Data;

namespace CnnNative.Tests.Data;

/// <summary>
/// Augmentation is checked against a plain reference (every shift × flip tried, exactly one must
/// match), for the spread of its draws, and for being a function of (seed, epoch, sample) alone:
/// the same in every shard of a batch and after a seek.
/// </summary>
public sealed class AugmentationTests
{
    private const int Rows = 7, Columns = 9, Channels = 3;

    /// <summary>Distinct positive pixels, so a shifted, flipped or erased copy is recognisable.</summary>
    private static float[] Image(int sample)
    {
        var image = new float[Channels * Rows * Columns];
        for (int i = 0; i < image.Length; i++) image[i] = 1 + i + 1000 * sample;
        return image;
    }

    /// <summary>The reference: destination(c, r, x) = source(c, r − dy, x' − dx), x' = mirrored x when flipping, 0 outside.</summary>
    private static float[] Transformed(float[] source, int dy, int dx, bool flip)
    {
        var result = new float[source.Length];
        for (int c = 0; c < Channels; c++)
            for (int r = 0; r < Rows; r++)
                for (int x = 0; x < Columns; x++)
                {
                    int sx = (flip ? Columns - 1 - x : x) - dx, sr = r - dy;
                    if (sr >= 0 && sr < Rows && sx >= 0 && sx < Columns)
                        result[(c * Rows + r) * Columns + x] = source[(c * Rows + sr) * Columns + sx];
                }
        return result;
    }

    private static float[] Apply(Augmentation augmentation, ulong seed, int epoch, int sample)
    {
        var output = new float[Channels * Rows * Columns];
        output.AsSpan().Fill(float.NaN); // a skipped element cannot pass as a zero
        augmentation.Apply(seed, epoch, sample, Image(sample), output, Channels, Rows, Columns);
        return output;
    }

    [Fact]
    public void Every_output_is_exactly_one_shift_and_flip_of_its_input_and_all_of_them_occur()
    {
        var augmentation = new Augmentation { Shift = 2, Flip = true };
        var seen = new HashSet<(int, int, bool)>();
        for (int sample = 0; sample < 600; sample++)
        {
            var output = Apply(augmentation, 5, 1, sample);
            var matches = new List<(int, int, bool)>();
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++)
                    foreach (bool flip in new[] { false, true })
                        if (Transformed(Image(sample), dy, dx, flip).AsSpan().SequenceEqual(output))
                            matches.Add((dy, dx, flip));
            Assert.Single(matches);
            seen.Add(matches[0]);
        }
        Assert.Equal(50, seen.Count); // 5 × 5 shifts × 2 flips, each drawn at least once in 600
    }

    [Fact]
    public void Erasing_zeroes_one_clipped_square_in_about_half_the_samples()
    {
        var augmentation = new Augmentation { Erase = 4 };
        int erased = 0;
        for (int sample = 0; sample < 400; sample++)
        {
            var input = Image(sample);
            var output = Apply(augmentation, 9, 0, sample);
            var zeroRows = new HashSet<int>();
            var zeroColumns = new HashSet<int>();
            int zeros = 0;
            for (int i = 0; i < output.Length; i++)
            {
                if (output[i] == input[i]) continue;
                Assert.Equal(0f, output[i]);
                zeros++;
                zeroRows.Add(i / Columns % Rows);
                zeroColumns.Add(i % Columns);
            }
            if (zeros == 0) continue;
            erased++;
            // A rectangle (the square clipped at the border), the same in every channel.
            Assert.Equal(Channels * zeroRows.Count * zeroColumns.Count, zeros);
            Assert.InRange(zeroRows.Count, 2, 4);
            Assert.InRange(zeroColumns.Count, 2, 4);
        }
        Assert.InRange(erased, 160, 240);
    }

    [Fact]
    public void A_sample_is_changed_by_seed_epoch_and_index_alone()
    {
        var augmentation = new Augmentation { Shift = 3, Flip = true, Erase = 3 };
        Assert.Equal(Apply(augmentation, 1, 2, 17), Apply(augmentation, 1, 2, 17));
        int differ = 0;
        for (int sample = 0; sample < 20; sample++)
            if (!Apply(augmentation, 1, 2, sample).AsSpan().SequenceEqual(Apply(augmentation, 1, 3, sample))) differ++;
        Assert.True(differ >= 15, $"only {differ} of 20 samples changed differently in the next epoch");
    }

    [Theory]
    [InlineData("shift:2,flip,erase", 28, 28, "shift:2,flip,erase:14")]
    [InlineData(" flip , shift ", 32, 32, "shift:2,flip")]
    [InlineData("erase:5", 8, 12, "erase:5")]
    [InlineData("none", 8, 8, "none")]
    public void The_text_form_reads_and_writes_every_size(string text, int rows, int columns, string expected)
    {
        var augmentation = Augmentation.Parse(text, rows, columns);
        Assert.Equal(expected, augmentation.ToString());
        Assert.Equal(augmentation, Augmentation.Parse(expected, rows, columns));
    }

    [Theory]
    [InlineData("rotate", "'rotate' is not an augmentation")]
    [InlineData("shift:x", "positive whole number")]
    [InlineData("shift:28", "shift by 0 to 27 pixels")]
    [InlineData("erase:29", "1 to 28 pixels")]
    [InlineData("flip:2", "'flip:2' is not an augmentation")]
    [InlineData(",", "names no augmentation")]
    public void A_bad_text_form_says_what_to_write(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Augmentation.Parse(text, 28, 28));
        Assert.Contains(expected, e.Message);
    }

    /// <summary>n samples of [3, 7, 9] with distinct pixels; label = sample mod 10.</summary>
    private static Dataset Samples(int count)
    {
        var images = new float[count * Channels * Rows * Columns];
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            Image(i).CopyTo(images, i * Channels * Rows * Columns);
            labels[i] = i % 10;
        }
        return new Dataset("samples", images, labels, Channels, Rows, Columns, ClassNames.Digits);
    }

    [Fact]
    public void Shards_of_an_augmented_batch_make_the_whole_batch_and_a_seek_repeats_it()
    {
        var data = Samples(51);
        var augmentation = new Augmentation { Shift = 2, Flip = true, Erase = 3 };
        var whole = Batcher.ForTraining(data, 12, seed: 4);
        whole.Augmentation = augmentation;
        whole.Seek(new BatchPosition(1, 2));
        var expected = new float[whole.ImageBufferLength];
        Assert.True(whole.TryNext(expected, new float[12], out _));

        var parts = new List<float>();
        for (int rank = 0; rank < 3; rank++)
        {
            var shard = Batcher.ForTraining(data, 12, seed: 4);
            shard.Augmentation = augmentation;
            shard.Shard = new BatchShard(rank, 3);
            shard.Seek(new BatchPosition(1, 2));
            var images = new float[shard.ImageBufferLength];
            Assert.True(shard.TryNext(images, new float[12], out int count));
            parts.AddRange(images.AsSpan(0, count * data.SampleSize).ToArray());
        }
        Assert.Equal(expected, parts);

        var plain = Batcher.ForTraining(data, 12, seed: 4);
        plain.Seek(new BatchPosition(1, 2));
        var unchanged = new float[plain.ImageBufferLength];
        Assert.True(plain.TryNext(unchanged, new float[12], out _));
        Assert.NotEqual(unchanged, expected);
    }

    [Fact]
    public void A_batcher_refuses_an_augmentation_that_does_not_fit_its_images()
    {
        var batcher = Batcher.ForTraining(Samples(10), 5, seed: 1);
        var e = Assert.Throws<FormatException>(() => batcher.Augmentation = new Augmentation { Shift = 7 });
        Assert.Contains("7×9 images", e.Message);
    }
}
