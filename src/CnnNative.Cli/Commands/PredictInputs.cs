using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Data.Imaging;

namespace CnnNative.Cli.Commands;

/// <summary>One thing to classify: what to call it in the output, the network input, and the true label when known.</summary>
internal sealed record PredictSample(string Name, float[] Input, string? Label = null);

/// <summary>
/// Turns the files given to <c>cnn predict</c> into network inputs of the model's size and
/// channel count: images of any format <see cref="ImageFile"/> reads and samples of IDX files
/// (already in the data set's format). A gray model trained on IDX digits gets MNIST-style
/// centring unless told not to; a colour model, or one trained on a folder of images, gets
/// the image resized exactly as the data set's cache did (area averaging, 8-bit levels).
/// Transparent pixels are composited on the chosen background; --invert flips the values.
/// </summary>
internal sealed class PredictInputs
{
    private readonly int _channels, _height, _width, _box;
    private readonly bool _preprocess, _invert;
    private readonly RgbColour _background;
    private readonly TextWriter _notes;

    /// <param name="input">The model's input shape per sample: [C, H, W] with C 1 (gray) or 3 (RGB).</param>
    /// <param name="preprocess">MNIST-style centring for gray models; ignored for colour ones.</param>
    /// <param name="box">Side the ink's bounding box is scaled to; null for MNIST's proportion (20 of 28).</param>
    /// <param name="notes">Where hints go (standard error), such as "this looks dark on light: try --invert".</param>
    public PredictInputs(TensorShape input, bool preprocess, bool invert, int? box, RgbColour background, TextWriter notes)
    {
        if (input.Rank != 3 || input[0] is not (1 or 3))
            throw new CliException($"The model takes input [{string.Join(", ", input.Dimensions)}], but cnn predict classifies gray [1, H, W] or colour [3, H, W] images.");
        _channels = input[0];
        _height = input[1];
        _width = input[2];
        _preprocess = preprocess && _channels == 1;
        _invert = invert;
        _background = background;
        _notes = notes;
        if (preprocess && _height != _width)
            throw new CliException($"MNIST-style preprocessing centres images in a square, but the model takes {_width}×{_height} images; pass --no-preprocess to resize them as they are.");
        // MNIST puts a 20-pixel box in a 28-pixel field; keep that proportion for other sizes.
        _box = box ?? Math.Max(1, (int)Math.Round(_width * 20 / 28.0, MidpointRounding.AwayFromZero));
        if (_box < 1 || _box > _width)
            throw new CliException($"--box must be between 1 and the model's input size {_width}, got {_box}.", ExitCodes.Usage);
    }

    /// <summary>The checkpoint's input preprocessing (VGG's BGR less the means, say), applied after decoding and --invert.</summary>
    public Preprocessing ModelPreprocessing { get; init; } = Preprocessing.None;

    /// <summary>Loads an image file and makes it a network input.</summary>
    public PredictSample FromImage(string path)
    {
        if (!_preprocess)
        {
            float[] planes = ImagePlanes.Quantize(ImagePlanes.Load(path, _channels, _width, _height, _background));
            if (_invert)
                for (int i = 0; i < planes.Length; i++) planes[i] = 1f - planes[i];
            ModelPreprocessing.Apply(planes, _channels, _width * _height);
            return new PredictSample(path, planes);
        }
        GrayImage image = ImageFile.LoadGray(path, _background);
        if (!_invert && MnistPreprocessor.LooksDarkOnLight(image))
            _notes.WriteLine($"cnn: note: {path} looks like dark on a light background; the model was trained on light on dark, so --invert may classify it better.");
        var options = new MnistPreprocessOptions
        {
            Invert = _invert,
            FieldSize = _width,
            BoxSize = _box,
        };
        try
        {
            return new PredictSample(path, MnistPreprocessor.Preprocess(image, options));
        }
        catch (ArgumentException e) when (e.ParamName == "image")
        {
            string message = e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new CliException($"{path}: {message}", ExitCodes.Failure, e);
        }
    }

    /// <summary>Sample <paramref name="index"/> of an IDX images file, with its label when the partner labels file is next to it.</summary>
    public PredictSample FromIdx(string path, int index, IReadOnlyList<string> classNames)
    {
        if (_channels != 1)
            throw new CliException($"--idx gives gray samples, but the model takes {_channels}-channel images; give image files instead.", ExitCodes.Usage);
        IdxImages images = IdxReader.ReadImages(path);
        if (images.Rows != _height || images.Columns != _width)
            throw new CliException($"{path} holds {images.Columns}×{images.Rows} images but the model takes {_width}×{_height}; use the data set the model was trained on.");
        if (index < 0 || index >= images.Count)
            throw new CliException($"--index {index} is outside {path}, which holds {images.Count} images (0 to {images.Count - 1}).", ExitCodes.Usage);
        int size = _width * _height;
        float[] input = images.Pixels.AsSpan(index * size, size).ToArray();
        if (_invert)
            for (int i = 0; i < input.Length; i++) input[i] = 1f - input[i];

        string? label = null;
        if (LabelsFileFor(path) is { } labelsPath)
        {
            byte[] labels = IdxReader.ReadLabels(labelsPath);
            if (labels.Length == images.Count)
                label = labels[index] < classNames.Count ? classNames[labels[index]] : labels[index].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new PredictSample($"{path} #{index}", input, label);
    }

    /// <summary>t10k-images-idx3-ubyte[.gz] → t10k-labels-idx1-ubyte[.gz] (also the dotted spelling), when that file exists.</summary>
    private static string? LabelsFileFor(string imagesPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(imagesPath))!;
        string name = Path.GetFileName(imagesPath);
        foreach (var (images, labels) in new[] { ("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1") })
        {
            if (!name.Contains(images, StringComparison.Ordinal)) continue;
            string stem = name.Replace(images, labels, StringComparison.Ordinal);
            foreach (string candidate in new[] { stem, stem.EndsWith(".gz", StringComparison.Ordinal) ? stem[..^3] : stem + ".gz" })
            {
                string path = Path.Combine(folder, candidate);
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }
}
