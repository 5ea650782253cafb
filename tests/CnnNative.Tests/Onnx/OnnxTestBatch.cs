using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;

namespace CnnNative.Tests.Onnx;

/// <summary>
/// Real test images for a model's input: the first Fashion-MNIST test images (1×28×28); for
/// digits-cnn the built-in 8×8 digits; for vgg16 Fashion-MNIST images centred in 32×32 and
/// repeated over three channels (its five 2×2 pools need 32×32 at least; 224×224 would make the
/// test minutes long and change nothing the export does).
/// <see cref="TrainingSteps"/> is how many Adam steps the network takes on the batch before the
/// comparison: two, so weights are not their initial values; none for vgg16, whose 34 million
/// parameters would make those steps most of the test suite's time (its Xavier weights are
/// already asymmetric, and it has no batch-norm statistics to move).
/// </summary>
internal sealed record OnnxTestBatch(float[] Images, float[] Labels, TensorShape Sample, int TrainingSteps = 2)
{
    private static readonly Lazy<Dataset> FashionTest = new(() => DatasetLoader.Load(DatasetLoader.DefaultFolder, DataSplit.Test));

    public int Count => Labels.Length;

    /// <summary>[Count, C, H, W].</summary>
    public long[] Shape => [Count, .. Sample.Dimensions.Select(d => (long)d)];

    /// <summary>[n, C, H, W].</summary>
    public TensorShape ShapeOf(int n) => new([n, .. Sample.Dimensions]);

    /// <summary>The batch <paramref name="model"/> (a preset or an <see cref="OnnxTestModels"/> name) is tested on.</summary>
    public static OnnxTestBatch For(string model) => model switch
    {
        ModelPresets.DigitsCnn => Digits(32),
        ModelPresets.Vgg16 => FashionRgb32(4) with { TrainingSteps = 0 },
        _ => Fashion(32),
    };

    private static OnnxTestBatch Fashion(int count)
    {
        var test = FashionTest.Value.Slice(0, count);
        return new(test.Images, test.Labels, new TensorShape(1, 28, 28));
    }

    private static OnnxTestBatch Digits(int count)
    {
        var test = DigitsDataset.Load(DigitsDataset.Name, seed: 1).Test.Slice(0, count);
        return new(test.Images, test.Labels, new TensorShape(1, test.Rows, test.Columns));
    }

    private static OnnxTestBatch FashionRgb32(int count)
    {
        var gray = Fashion(count);
        var images = new float[count * 3 * 32 * 32];
        for (int n = 0; n < count; n++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 28; y++)
                    gray.Images.AsSpan((n * 28 + y) * 28, 28).CopyTo(images.AsSpan(((n * 3 + c) * 32 + y + 2) * 32 + 2));
        return new(images, gray.Labels, new TensorShape(3, 32, 32));
    }
}
