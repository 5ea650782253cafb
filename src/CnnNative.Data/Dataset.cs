using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Labelled images held on the host, ready to be copied batch by batch to a provider.
/// Images are [Count, Channels, Rows, Columns] float32 in [0, 1] (NCHW); labels are class
/// indices stored as floats, which is how the compute contract takes them.
/// </summary>
public sealed class Dataset
{
    /// <summary>Wraps arrays without copying; checks that their lengths agree and labels are class indices.</summary>
    public Dataset(string name, float[] images, float[] labels, int channels, int rows, int columns,
        IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (classNames.Count < 2)
            throw new ArgumentException($"A dataset needs at least two class names, got {classNames.Count}.", nameof(classNames));

        long sampleSize = (long)channels * rows * columns;
        if (sampleSize * labels.Length != images.Length)
            throw new ArgumentException(
                $"Dataset '{name}': {images.Length} image values do not make {labels.Length} samples of {channels}×{rows}×{columns}.",
                nameof(images));
        for (int i = 0; i < labels.Length; i++)
        {
            float label = labels[i];
            if (!(label >= 0 && label < classNames.Count) || label != MathF.Floor(label))
                throw new ArgumentException(
                    $"Dataset '{name}': label {label} of sample {i} is not a class index in 0..{classNames.Count - 1}.",
                    nameof(labels));
        }

        Name = name;
        Images = images;
        Labels = labels;
        Channels = channels;
        Rows = rows;
        Columns = columns;
        ClassNames = classNames;
    }

    /// <summary>"train" or "test" for loaded data; anything for data built in code.</summary>
    public string Name { get; }

    /// <summary>Count × SampleSize pixel values, NCHW.</summary>
    public float[] Images { get; }

    /// <summary>Count class indices as floats.</summary>
    public float[] Labels { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels per image (C): 1 for gray, 3 for RGB.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels (H).</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels (W).</summary>
    public int Columns { get; }

    /// <summary>Values per sample: Channels × Rows × Columns.</summary>
    public int SampleSize => Channels * Rows * Columns;

    /// <summary>Number of classes (at least 2); labels are in [0, ClassCount).</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>A display name per class index ("T-shirt/top", a class folder's name, "0"…).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// What was done to the images after decoding (<see cref="Preprocessing.None"/>: values in
    /// [0, 1]); a model trained on them expects the same, and its checkpoint says so.
    /// </summary>
    public Preprocessing Preprocessing { get; init; } = Preprocessing.None;

    /// <summary>
    /// A copy with <paramref name="preprocessing"/> applied to every image (this data set when
    /// it is <see cref="Preprocessing.None"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The images are preprocessed already, or have a channel count it cannot take.</exception>
    public Dataset Preprocessed(Preprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (preprocessing.IsNone) return this;
        if (!Preprocessing.IsNone)
            throw new ArgumentException($"Dataset '{Name}' is preprocessed ('{Preprocessing}') already.", nameof(preprocessing));
        var images = (float[])Images.Clone();
        preprocessing.Apply(images, Channels, Rows * Columns);
        return new Dataset(Name, images, Labels, Channels, Rows, Columns, ClassNames) { Preprocessing = preprocessing };
    }

    /// <summary>The NCHW shape of a batch of <paramref name="batch"/> samples: [batch, C, H, W].</summary>
    public TensorShape BatchShape(int batch) => new(batch, Channels, Rows, Columns);

    /// <summary>The pixels of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Images.AsSpan(index * SampleSize, SampleSize);
    }

    /// <summary>The class index of sample <paramref name="index"/>.</summary>
    public int Label(int index) => (int)Labels[index];

    /// <summary>A copy of samples [start, start + count), for quick runs and tests on part of a data set.</summary>
    public Dataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if ((long)start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"Samples {start}..{start + count - 1} are outside dataset '{Name}' of {Count} samples.");
        return new Dataset(Name,
            Images.AsSpan(start * SampleSize, count * SampleSize).ToArray(),
            Labels.AsSpan(start, count).ToArray(),
            Channels, Rows, Columns, ClassNames) { Preprocessing = Preprocessing };
    }

    /// <summary>Samples per class, for reports and sanity checks.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (float label in Labels) counts[(int)label]++;
        return counts;
    }
}
