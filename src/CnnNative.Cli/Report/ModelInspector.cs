using System.Globalization;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;
using CnnNative.Nn.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Computes <see cref="ModelInsights"/> through the Network API: every test image goes through
/// the network in inference mode (probabilities by the provider's softmax), the first
/// convolution's weights are downloaded as they are, and one test image is run alone so the
/// first convolution's <see cref="Layer.Output"/> holds its feature maps. Inference mode
/// changes no weight, statistic or step counter, so this may run between two epochs of training.
/// </summary>
internal static class ModelInspector
{
    /// <summary>The test image whose feature maps are shown.</summary>
    public const int FeatureMapSample = 0;

    /// <summary>Runs <paramref name="network"/> over <paramref name="test"/> in batches of <paramref name="batchSize"/> and gathers what the report shows.</summary>
    public static ModelInsights Inspect(Network network, Dataset test, int batchSize, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(test);
        Evaluator.CheckFits(network, test);
        if (test.ClassCount != network.Classes)
            throw new ArgumentException($"The test set has {test.ClassCount} classes but the model predicts {network.Classes}.", nameof(test));

        int classes = network.Classes, size = test.SampleSize;
        var confusion = new int[classes, classes];
        var mistakes = new List<MisclassifiedSample>();
        float[] firstProbabilities = new float[classes];
        using (var runner = new ProbabilityRunner(network, Math.Min(batchSize, test.Count)))
        {
            var probabilities = new float[runner.BatchSize * classes];
            for (int start = 0; start < test.Count; start += runner.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int count = Math.Min(runner.BatchSize, test.Count - start);
                runner.Run(test.Images.AsSpan(start * size, count * size), count, probabilities);
                for (int n = 0; n < count; n++)
                {
                    ReadOnlySpan<float> row = probabilities.AsSpan(n * classes, classes);
                    int index = start + n, truth = test.Label(index), predicted = ProbabilityRunner.ArgMax(row);
                    confusion[truth, predicted]++;
                    if (index == FeatureMapSample) row.CopyTo(firstProbabilities);
                    if (predicted != truth)
                        mistakes.Add(new MisclassifiedSample(Shown(test, index), test.Columns, test.Rows, truth, predicted, row[predicted]) { Index = index });
                }
            }
        }
        // Most confident mistakes first: the ones that say most about what the model believes.
        // (List.Sort is not stable: the test-set order breaks ties, so the order is reproducible.)
        mistakes.Sort((a, b) => a.Confidence != b.Confidence ? b.Confidence.CompareTo(a.Confidence) : a.Index!.Value.CompareTo(b.Index!.Value));

        var conv = network.FirstLayer<Convolution>();
        FilterBank? filters = conv is null ? null : Filters(conv);
        FeatureMapSet? maps = conv is null ? null : FeatureMaps(network, conv, test, firstProbabilities);
        return new ModelInsights(confusion, mistakes, filters, maps);
    }

    /// <summary>The first convolution's weights as they are now (no test set needed); null for a model without a convolution.</summary>
    public static FilterBank? FirstLayerFilters(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.FirstLayer<Convolution>() is { } conv ? Filters(conv) : null;
    }

    private static FilterBank Filters(Convolution conv)
    {
        Tensor w = conv.Weights.Value;
        var weights = new float[w.Length];
        w.Provider.Download(w, weights);
        return new FilterBank(weights, w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3]);
    }

    /// <summary>Runs test image <see cref="FeatureMapSample"/> alone and reads the first convolution's output.</summary>
    private static FeatureMapSet FeatureMaps(Network network, Convolution conv, Dataset test, float[] probabilities)
    {
        var provider = network.Provider;
        var input = network.InputShape;
        var dims = new int[input.Rank + 1];
        dims[0] = 1;
        for (int d = 0; d < input.Rank; d++) dims[d + 1] = input[d];
        using (Tensor x = provider.Allocate(new TensorShape(dims)))
        {
            provider.Upload(test.Image(FeatureMapSample), x);
            // The convolution's own output, not the batch-norm and ReLU a fused inference would fold into it.
            bool fuses = network.FusesInference;
            network.FusesInference = false;
            try { network.Predict(x); }
            finally { network.FusesInference = fuses; }
        }
        Tensor output = conv.Output ?? throw new InvalidOperationException($"Layer '{conv.Name}' produced no output.");
        var values = new float[output.Length];
        provider.Download(output, values);

        int truth = test.Label(FeatureMapSample), predicted = ProbabilityRunner.ArgMax(probabilities);
        string caption = string.Create(CultureInfo.InvariantCulture,
            $"Test image #{FeatureMapSample} ({test.ClassNames[truth]}), predicted {test.ClassNames[predicted]} ({probabilities[predicted] * 100:0.0}%). Layer '{conv.Name}': {conv.Filters} filters of {conv.Kernel}, stride {Side(conv.Stride)}, padding {Side(conv.Padding)}.");
        return new FeatureMapSet(values, conv.OutputShape[0], conv.OutputShape[1], conv.OutputShape[2],
            Shown(test, FeatureMapSample), test.Columns, test.Rows) { Caption = caption };
    }

    private static string Side(Size2 size) => size.IsSquare ? size.Height.ToString(CultureInfo.InvariantCulture) : size.ToString();

    /// <summary>
    /// A copy of the sample as the report draws it, preprocessing undone: its three planes for a colour (RGB) data set,
    /// which <see cref="ImageTiles"/> shows in colour, otherwise its first channel.
    /// </summary>
    private static float[] Shown(Dataset test, int index)
    {
        // A preprocessed image (VGG's BGR less the means) is drawn as it was decoded.
        var sample = test.Image(index).ToArray();
        test.Preprocessing.Undo(sample, test.Channels, test.Rows * test.Columns);
        return test.Channels == 3 ? sample : sample[..(test.Rows * test.Columns)];
    }
}
