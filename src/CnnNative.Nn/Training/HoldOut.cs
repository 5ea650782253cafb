using CnnNative.Core;
using CnnNative.Data;

namespace CnnNative.Nn.Training;

/// <summary>
/// Holds a seeded random fraction of the training data out for validation: the same seed and
/// fraction always choose the same samples, so a resumed run validates on exactly the same
/// set. Both parts keep the samples' original order (the trainer shuffles its part every epoch).
/// </summary>
internal static class HoldOut
{
    /// <summary>The counter-RNG stream of the hold-out choice, apart from the shuffles and dropout masks.</summary>
    public const ulong Stream = 0x484F_4C44_4F55_5400UL; // "HOLDOUT"

    /// <summary>Samples held out of <paramref name="count"/> for <paramref name="fraction"/>: rounded, at least one when the fraction is positive.</summary>
    public static int ValidationCount(int count, double fraction) =>
        fraction <= 0 ? 0 : Math.Clamp((int)Math.Round(count * fraction), 1, count - 1);

    /// <summary>
    /// Splits <paramref name="data"/> into the part to train on and the <paramref name="fraction"/>
    /// held out for validation (named "validation"), chosen by <paramref name="seed"/>.
    /// </summary>
    public static (Dataset Train, Dataset Validation) Split(Dataset data, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be between 0 and 1.");
        if (data.Count < 2)
            throw new TrainingSetupException($"The {data.Name} data has {Plural.Of(data.Count, "sample")}; holding some out for validation needs at least 2.");
        var order = new int[data.Count];
        Batcher.FillPermutation(CounterRng.StreamKey(seed, Stream), 0, order);
        int held = ValidationCount(data.Count, fraction);
        var validation = order.AsSpan(0, held);
        var train = order.AsSpan(held);
        validation.Sort();
        train.Sort();
        return (Select(data, data.Name, train), Select(data, "validation", validation));
    }

    private static Dataset Select(Dataset data, string name, ReadOnlySpan<int> indices)
    {
        int size = data.SampleSize;
        var images = new float[indices.Length * size];
        var labels = new float[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            data.Image(indices[i]).CopyTo(images.AsSpan(i * size, size));
            labels[i] = data.Labels[indices[i]];
        }
        return new Dataset(name, images, labels, data.Channels, data.Rows, data.Columns, data.ClassNames) { Preprocessing = data.Preprocessing };
    }
}
