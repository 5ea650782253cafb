using System.Globalization;

namespace CnnNative.Data;

/// <summary>
/// What a model expects done to an image after decoding (values in [0, 1], RGB): nothing, or
/// VGG's Caffe convention (<see cref="Vgg"/>). A data set records the preprocessing its images
/// have had (<see cref="Dataset.Preprocessing"/>), a checkpoint the one its model was trained
/// with, and evaluation, prediction and the report apply that one to what they feed the model.
/// </summary>
public sealed class Preprocessing
{
    private readonly float[] _scale;
    private readonly float[] _offset;
    private readonly int[] _source;

    private Preprocessing(string name, string description, int channels, int[] source, float[] scale, float[] offset)
    {
        Name = name;
        Description = description;
        Channels = channels;
        _source = source;
        _scale = scale;
        _offset = offset;
    }

    /// <summary>Images as decoded: values in [0, 1].</summary>
    public static Preprocessing None { get; } = new("none", "values in [0, 1]", 0, [], [], []);

    /// <summary>
    /// The original VGG16's input (seed 002, Simonyan and Zisserman's Caffe model): channels in
    /// BGR order on the 0–255 scale, less the ImageNet means 103.939 (B), 116.779 (G), 123.68 (R).
    /// </summary>
    public static Preprocessing Vgg { get; } = new("vgg",
        "BGR order on the 0–255 scale less the means 103.939, 116.779, 123.68", 3,
        [2, 1, 0], [255f, 255f, 255f], [-103.939f, -116.779f, -123.68f]);

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "vgg"];

    /// <summary>"none" or "vgg": what <c>--preprocess</c> and checkpoints say.</summary>
    public string Name { get; }

    /// <summary>What the model sees, in words (for messages and ONNX metadata).</summary>
    public string Description { get; }

    /// <summary>The channel count it needs (3 for VGG's colour reordering); 0 for any.</summary>
    public int Channels { get; }

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => ReferenceEquals(this, None);

    /// <summary>The preprocessing named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="FormatException">An unknown name; the message lists the known ones.</exception>
    public static Preprocessing Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "none" => None,
            "vgg" => Vgg,
            _ => throw new FormatException($"'{name}' is not a preprocessing; choose {string.Join(" or ", Names)}."),
        };
    }

    /// <summary>
    /// Changes <paramref name="samples"/> (whole samples of [<paramref name="channels"/>, plane])
    /// in place from decoded values to what the model sees.
    /// </summary>
    /// <exception cref="ArgumentException">The channel count is not the one this preprocessing needs.</exception>
    public void Apply(Span<float> samples, int channels, int plane) => Transform(samples, channels, plane, undo: false);

    /// <summary>
    /// The inverse of <see cref="Apply"/>, in place: what the model saw back to decoded values in
    /// [0, 1] and RGB order (to show a preprocessed image, say).
    /// </summary>
    /// <exception cref="ArgumentException">The channel count is not the one this preprocessing needs.</exception>
    public void Undo(Span<float> samples, int channels, int plane) => Transform(samples, channels, plane, undo: true);

    /// <summary>
    /// Output channel c is input channel source[c] × scale[c] + offset[c]; undoing writes input
    /// channel source[c] as (output c − offset[c]) / scale[c].
    /// </summary>
    private void Transform(Span<float> samples, int channels, int plane, bool undo)
    {
        CheckChannels(channels);
        if (IsNone) return;
        int size = channels * plane;
        if (plane <= 0 || samples.Length % size != 0)
            throw new ArgumentException($"{samples.Length} values are not whole samples of {channels}×{plane}.", nameof(samples));
        var original = new float[size];
        for (int start = 0; start < samples.Length; start += size)
        {
            var sample = samples.Slice(start, size);
            sample.CopyTo(original);
            for (int c = 0; c < channels; c++)
            {
                int from = undo ? c : _source[c], to = undo ? _source[c] : c;
                var input = original.AsSpan(from * plane, plane);
                var output = sample.Slice(to * plane, plane);
                float scale = _scale[c], offset = _offset[c];
                if (undo)
                    for (int i = 0; i < plane; i++) output[i] = (input[i] - offset) / scale;
                else
                    for (int i = 0; i < plane; i++) output[i] = input[i] * scale + offset;
            }
        }
    }

    /// <summary>Refuses a channel count this preprocessing cannot work on, saying what fits.</summary>
    /// <exception cref="ArgumentException">Gray images for <see cref="Vgg"/>, say.</exception>
    public void CheckChannels(int channels)
    {
        if (Channels != 0 && channels != Channels)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Preprocessing '{Name}' ({Description}) needs {Channels}-channel images, not {channels}; decode the images in colour (--channels 3)."));
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
