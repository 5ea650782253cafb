using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;

namespace CnnNative.Tests.Training;

/// <summary>
/// A small data set a CNN learns in a few epochs: 8×8 gray images of four classes, class k
/// being a bright horizontal band on rows 2k and 2k+1 over uniform noise. Deterministic
/// (pixels come from <see cref="CounterRng"/>), so every test sees the same samples.
/// </summary>
internal static class SyntheticData
{
    public const int Side = 8;
    public const int Classes = 4;
    public static readonly string[] ClassNames = ["top", "upper", "lower", "bottom"];

    /// <summary>Pixel bytes and labels of <paramref name="count"/> samples drawn from stream <paramref name="stream"/>.</summary>
    public static (byte[] Pixels, byte[] Labels) Bytes(int count, ulong stream)
    {
        ulong key = CounterRng.StreamKey(12345, stream);
        var pixels = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = (int)(CounterRng.Bits(key, (ulong)i) % Classes);
            labels[i] = (byte)label;
            for (int p = 0; p < Side * Side; p++)
            {
                double value = 0.45 * CounterRng.Uniform(key, (ulong)(1_000_000 + i * 64 + p));
                if (p / Side / 2 == label) value += 0.5;
                pixels[i * Side * Side + p] = (byte)Math.Round(value * 255);
            }
        }
        return (pixels, labels);
    }

    public static Dataset Set(string name, int count, ulong stream)
    {
        var (pixels, labels) = Bytes(count, stream);
        var images = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) images[i] = pixels[i] / 255f;
        var labelValues = new float[count];
        for (int i = 0; i < count; i++) labelValues[i] = labels[i];
        return new Dataset(name, images, labelValues, 1, Side, Side, ClassNames);
    }

    public static Dataset Train(int count = 400) => Set("train", count, 1);

    public static Dataset Test(int count = 120) => Set("test", count, 2);

    /// <summary>Writes an MNIST-format folder (gzipped IDX files) with the same samples as <see cref="Train"/> and <see cref="Test"/>.</summary>
    public static void WriteIdxFolder(string folder, int train = 400, int test = 120)
    {
        Directory.CreateDirectory(folder);
        var (trainPixels, trainLabels) = Bytes(train, 1);
        var (testPixels, testLabels) = Bytes(test, 2);
        IdxWriter.WriteImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"), train, Side, Side, trainPixels, gzip: true);
        IdxWriter.WriteLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), trainLabels, gzip: true);
        IdxWriter.WriteImages(Path.Combine(folder, "t10k-images-idx3-ubyte"), test, Side, Side, testPixels, gzip: false);
        IdxWriter.WriteLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte"), testLabels, gzip: false);
    }

    /// <summary>
    /// A small conv net with every kind of state a checkpoint must carry: conv → batch-norm
    /// (running statistics) → ReLU → max-pool → affine → ReLU → dropout (masks keyed by step) → affine.
    /// </summary>
    public static ModelSpec Model(int classes = Classes) => new()
    {
        Name = "tiny-conv",
        Init = WeightInit.He,
        Layers =
        [
            LayerSpec.Conv(4, 3, stride: 1, pad: 1), LayerSpec.BatchNorm(), LayerSpec.Relu(),
            LayerSpec.MaxPool(2, stride: 2),
            LayerSpec.Affine(16), LayerSpec.Relu(), LayerSpec.Dropout(0.2f),
            LayerSpec.Affine(classes),
        ],
    };

    /// <summary>
    /// The same model as a JSON model file's text. The command line takes the class count
    /// from the data folder's class names — ten for an MNIST-format folder — so files for
    /// `cnn train` end in ten units (the synthetic labels use the first four).
    /// </summary>
    public static string ModelJson(int classes = 10) => Model(classes).ToJson();

    public static Network Build(IComputeProvider provider, ulong seed, ModelSpec? spec = null) =>
        Network.Build(spec ?? Model(), new TensorShape(1, Side, Side), Classes, provider, seed);
}
