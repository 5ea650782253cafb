using CnnNative.Data;

namespace CnnNative.Tests.Onnx;

/// <summary>The first <see cref="Count"/> images of the installed Fashion-MNIST test split, loaded once per test run.</summary>
internal static class FashionMnistBatch
{
    public const int Count = 32;

    private static readonly Lazy<(float[] Images, float[] Labels)> Loaded = new(() =>
    {
        var test = DatasetLoader.Load(DatasetLoader.DefaultFolder, DataSplit.Test).Slice(0, Count);
        return (test.Images, test.Labels);
    });

    /// <summary>[Count, 1, 28, 28] pixel values in [0, 1], row-major.</summary>
    public static float[] Images => Loaded.Value.Images;

    /// <summary>Their class labels.</summary>
    public static float[] Labels => Loaded.Value.Labels;

    public static long[] Shape => [Count, 1, 28, 28];
}
