using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands;

/// <summary>
/// Random images for benchmarking a model designed for input no installed data set has (VGG16:
/// 224×224 RGB, 1,000 classes): throughput does not depend on what the pixels show, only on
/// their shape. Pixels and labels come from <see cref="CounterRng"/>, so runs are repeatable.
/// </summary>
internal static class SyntheticImages
{
    /// <summary>Training images generated; a batch is at most this many.</summary>
    public const int TrainCount = 32;

    private const int TestCount = 16;

    public static DataSplits Splits(TensorShape sample, int classes, ulong seed)
    {
        var names = Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new DataSplits($"random {string.Join("×", sample.Dimensions)} images", Set("train", TrainCount, 1), Set("test", TestCount, 2), []);

        Dataset Set(string name, int count, ulong stream)
        {
            ulong key = CounterRng.StreamKey(seed, 0x5359_4E54_0000_0000UL | stream); // "SYNT"
            var images = new float[count * sample.Length];
            for (int i = 0; i < images.Length; i++) images[i] = CounterRng.Uniform(key, (ulong)i);
            var labels = new float[count];
            for (int i = 0; i < count; i++) labels[i] = (float)(CounterRng.Bits(key, (ulong)(images.Length + i)) % (ulong)classes);
            return new Dataset(name, images, labels, sample[0], sample[1], sample[2], names);
        }
    }

    /// <summary>
    /// The largest batch up to <paramref name="wanted"/> (and <see cref="TrainCount"/>) whose training
    /// memory <see cref="MemoryEstimate"/> accepts on this machine (<see cref="MemoryEstimate.AutomaticLimit"/>):
    /// VGG16 at 224×224 needs about 0.45 GiB per image.
    /// </summary>
    public static int LargestBatchThatFits(ModelSummary summary, int wanted)
    {
        int batch = wanted;
        long limit = MemoryEstimate.AutomaticLimit();
        while (batch > 1 && MemoryEstimate.TrainingBytes(summary, batch) > limit) batch /= 2;
        return batch;
    }
}
