using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// Short training runs from the same seeded weights and batches on both providers: the loss
/// after every step must follow the baseline's. Float rounding differs between kernels, so
/// the curves drift slowly apart; a wrong gradient anywhere bends one of them within a few
/// steps. The data is learnable (a bright blob in one of four quadrants names the class), so
/// the loss falls and the comparison covers a network that is actually learning.
/// </summary>
internal static class TrainingCases
{
    private const int Size = 28, Classes = 4, Batch = 32, Batches = 4, Epochs = 5;

    public static IEnumerable<EquivalenceCase> All()
    {
        yield return Run($"{ModelPresets.SimpleConv} (the default model), Adam", ModelPresets.Create(ModelPresets.SimpleConv, Classes), "adam", 0.001f);
        var everyLayer = new ModelSpec
        {
            Init = WeightInit.He,
            Layers =
            [
                LayerSpec.Conv(6, 3, pad: 1), LayerSpec.BatchNorm(), LayerSpec.Relu(), LayerSpec.MaxPool(2),
                LayerSpec.Conv(8, 3, stride: 2), LayerSpec.Relu(), LayerSpec.AvgPool(2),
                LayerSpec.Flatten(), LayerSpec.Affine(24), LayerSpec.Sigmoid(), LayerSpec.Dropout(0.2f), LayerSpec.Affine(Classes),
            ],
        };
        yield return Run("conv, batch norm, pooling, sigmoid, dropout; momentum", everyLayer, "momentum", 0.05f);
    }

    private static EquivalenceCase Run(string name, ModelSpec spec, string optimizerName, float learningRate) =>
        new("training", $"{name}: {Batches * Epochs} steps of {Batch}", new CheckTolerance(0.05, 0.01, PerElement: true), p =>
        {
            using var d = new CheckData(p, 77);
            using var net = Network.Build(spec, new TensorShape(1, Size, Size), Classes, p, seed: 5);
            using var optimizer = Optimizer.Create(OptimizerSettings.For(optimizerName) with { LearningRate = learningRate }, net.Parameters);
            var (images, labels) = Quadrants(Batch * Batches);
            var x = new Tensor[Batches];
            var t = new Tensor[Batches];
            for (int b = 0; b < Batches; b++)
            {
                x[b] = d.Tensor(images[(b * Batch * Size * Size)..((b + 1) * Batch * Size * Size)], Batch, 1, Size, Size);
                t[b] = d.Tensor(labels[(b * Batch)..((b + 1) * Batch)], Batch);
            }
            var losses = new float[Batches * Epochs];
            for (int step = 0; step < losses.Length; step++)
            {
                net.TrainStep(x[step % Batches], t[step % Batches], optimizer);
                losses[step] = net.ReadLoss();
            }
            return [new CheckOutput(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"loss {losses[0]:F3} → {losses[^1]:F3}"), losses)];
        });

    /// <summary>Noise in [0, 0.3) with a 6×6 blob of 1s in the quadrant the label names.</summary>
    private static (float[] Images, float[] Labels) Quadrants(int count)
    {
        var random = new Random(3);
        var images = new float[count * Size * Size];
        var labels = new float[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % Classes;
            var image = images.AsSpan(n * Size * Size, Size * Size);
            for (int i = 0; i < image.Length; i++) image[i] = 0.3f * (float)random.NextDouble();
            int top = (label / 2) * (Size / 2) + random.Next(Size / 2 - 6);
            int left = (label % 2) * (Size / 2) + random.Next(Size / 2 - 6);
            for (int r = 0; r < 6; r++)
                for (int c = 0; c < 6; c++) image[(top + r) * Size + left + c] = 1f;
            labels[n] = label;
        }
        return (images, labels);
    }
}
