using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Report;

/// <summary>The report's view of a model, checked against the evaluator and against a convolution computed by hand.</summary>
public sealed class ModelInspectorTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);

    public void Dispose() => _provider.Dispose();

    /// <summary>A tiny conv net trained one epoch: right on most test images, wrong on some.</summary>
    private Network Trained()
    {
        var network = SyntheticData.Build(_provider, seed: 3);
        var settings = new TrainingSettings { Epochs = 1, BatchSize = 32, Optimizer = TrainingSettings.OptimizerFor("adam", 0.003f), Seed = 3 };
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings);
        trainer.Run();
        return network;
    }

    [Fact]
    public void ConfusionMatrixAndMistakesAgreeWithTheEvaluator()
    {
        using var network = Trained();
        var test = SyntheticData.Test();
        using var evaluator = new Evaluator(network, 50);
        EvaluationResult expected = evaluator.Evaluate(test);

        ModelInsights insights = ModelInspector.Inspect(network, test, batchSize: 50); // 120 images: batches of 50, 50, 20

        for (int t = 0; t < 4; t++)
            for (int p = 0; p < 4; p++)
                Assert.Equal(expected.Confusion[t, p], insights.ConfusionMatrix[t, p]);
        Assert.Equal(expected.Samples - expected.Correct, insights.Misclassified.Count);
        Assert.NotEmpty(insights.Misclassified);
        for (int i = 0; i < insights.Misclassified.Count; i++)
        {
            MisclassifiedSample m = insights.Misclassified[i];
            int index = m.Index!.Value;
            Assert.Equal(test.Label(index), m.TrueClass);
            Assert.NotEqual(m.TrueClass, m.PredictedClass);
            Assert.Equal(test.Image(index).ToArray(), m.Pixels);
            Assert.Equal((8, 8), (m.Width, m.Height));
            Assert.InRange(m.Confidence, 0.25, 1.0); // the top of four probabilities
            if (i > 0) Assert.True(insights.Misclassified[i - 1].Confidence >= m.Confidence, "most confident mistakes first");
        }
    }

    [Fact]
    public void ConfidenceIsTheSoftmaxOfTheScores()
    {
        using var network = Trained();
        var test = SyntheticData.Test();
        MisclassifiedSample worst = ModelInspector.Inspect(network, test, 32).Misclassified[0];

        // The scores of that image alone, softmaxed on the host in double precision.
        using var x = _provider.Allocate(new TensorShape(1, 1, 8, 8));
        _provider.Upload(test.Image(worst.Index!.Value), x);
        var scores = new float[4];
        _provider.Download(network.Predict(x), scores);
        double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
        Assert.Equal(Math.Exp(scores[worst.PredictedClass] - max) / sum, worst.Confidence, 5);
        Assert.Equal(Array.IndexOf(scores, scores.Max()), worst.PredictedClass);
    }

    [Fact]
    public void FiltersAreTheFirstConvolutionsWeightsAndFeatureMapsItsOutput()
    {
        using var network = Trained();
        var test = SyntheticData.Test();
        var conv = network.FirstLayer<Convolution>()!;
        var weights = Download(conv.Weights.Value);
        var bias = Download(conv.Bias.Value);

        ModelInsights insights = ModelInspector.Inspect(network, test, 64);

        FilterBank bank = insights.FirstLayerFilters!;
        Assert.Equal((4, 1, 3, 3), (bank.Filters, bank.Channels, bank.KernelHeight, bank.KernelWidth));
        Assert.Equal(weights, bank.Weights);

        // The tiny model's conv: 4 filters of 3×3, stride 1, padding 1, on test image 0.
        FeatureMapSet maps = insights.FeatureMaps!;
        Assert.Equal((4, 8, 8), (maps.Maps, maps.Height, maps.Width));
        float[] image = test.Image(ModelInspector.FeatureMapSample).ToArray();
        Assert.Equal(image, maps.Input);
        for (int f = 0; f < 4; f++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                {
                    double sum = bias[f];
                    for (int i = 0; i < 3; i++)
                        for (int j = 0; j < 3; j++)
                        {
                            int yy = y + i - 1, xx = x + j - 1;
                            if (yy is >= 0 and < 8 && xx is >= 0 and < 8) sum += weights[f * 9 + i * 3 + j] * image[yy * 8 + xx];
                        }
                    Assert.Equal(sum, maps.Values[(f * 8 + y) * 8 + x], 4);
                }
        Assert.Contains($"Test image #0 ({test.ClassNames[test.Label(0)]}), predicted ", maps.Caption);
    }

    [Fact]
    public void InspectingChangesNothingTrainingDependsOn()
    {
        using var network = Trained();
        var test = SyntheticData.Test();
        long step = network.TrainingStep;
        var runningMean = Download(network.GetTensor("batchnorm1.running_mean"));
        var runningVar = Download(network.GetTensor("batchnorm1.running_var"));
        using var evaluator = new Evaluator(network, 32);
        double accuracy = evaluator.Accuracy(test);

        ModelInspector.Inspect(network, test, 17);

        Assert.Equal(step, network.TrainingStep);
        Assert.Equal(runningMean, Download(network.GetTensor("batchnorm1.running_mean")));
        Assert.Equal(runningVar, Download(network.GetTensor("batchnorm1.running_var")));
        Assert.Equal(accuracy, evaluator.Accuracy(test));
    }

    [Fact]
    public void AModelWithoutConvolutionHasNoFiltersOrMaps()
    {
        var spec = new ModelSpec { Name = "mlp", Layers = [LayerSpec.Affine(16), LayerSpec.Relu(), LayerSpec.Affine(4)] };
        using var network = Network.Build(spec, new TensorShape(1, 8, 8), 4, _provider, seed: 1);

        ModelInsights insights = ModelInspector.Inspect(network, SyntheticData.Test(), 40);

        Assert.Null(insights.FirstLayerFilters);
        Assert.Null(insights.FeatureMaps);
        int total = 0;
        foreach (int n in insights.ConfusionMatrix) total += n;
        Assert.Equal(120, total);
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        using var network = SyntheticData.Build(_provider, seed: 3);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => ModelInspector.Inspect(network, SyntheticData.Test(), 32, cancelled.Token));
    }

    private float[] Download(Tensor tensor)
    {
        var values = new float[tensor.Length];
        _provider.Download(tensor, values);
        return values;
    }
}
