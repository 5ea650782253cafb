using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Onnx;
using CnnNative.Tests.Data;
using CnnNative.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CnnNative.Tests.Onnx;

/// <summary>
/// Every preset (and models that use every other layer form) exported from the provider under
/// test, loaded in ONNX Runtime and run on real test images (<see cref="OnnxTestBatch"/>): its class scores
/// must match <see cref="Network.Predict"/> on that provider within 1e-4. The network first
/// takes Adam steps on the images and its batch-norm running statistics settle on them, so
/// weights and statistics are neither their initial values nor symmetric.
/// </summary>
public abstract class OnnxRuntimeAgreementTests : IClassFixture<ProviderFixture>
{
    private const float Tolerance = 1e-4f;

    private readonly ITestOutputHelper _output;

    protected OnnxRuntimeAgreementTests(ProviderFixture fixture, ITestOutputHelper output)
    {
        ProviderName = ProviderUnderTestAttribute.Of(GetType());
        Provider = fixture.Provider(ProviderName);
        _output = output;
    }

    private string ProviderName { get; }

    private IComputeProvider Provider { get; }

    public static TheoryData<string> Models => [.. ModelPresets.Names, .. OnnxTestModels.Names];

    [FashionMnistProviderTheory]
    [MemberData(nameof(Models))]
    public void Onnx_runtime_scores_match_predict(string model)
    {
        var batch = OnnxTestBatch.For(model);
        using var network = Network.Build(OnnxTestModels.Create(model), batch.Sample, 10, Provider, seed: 3);
        using var x = Provider.Allocate(batch.ShapeOf(batch.Count));
        using var labels = Provider.Allocate(new TensorShape(batch.Count));
        Provider.Upload(batch.Images, x);
        Provider.Upload(batch.Labels, labels);
        var adam = new Adam(new OptimizerSettings { LearningRate = 0.003f }, network.Parameters);
        for (int step = 0; step < batch.TrainingSteps; step++) network.TrainStep(x, labels, adam);
        SettleBatchNormStatistics(network, batch);

        var expected = new float[batch.Count * 10];
        Provider.Download(network.Predict(x), expected);
        float[] actual = OnnxRuntimeSession.Run(OnnxExporter.ToBytes(network), batch.Images, batch.Shape);

        Assert.Equal(expected.Length, actual.Length);
        float maxDiff = 0f, maxScore = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = MathF.Max(maxDiff, MathF.Abs(expected[i] - actual[i]));
            maxScore = MathF.Max(maxScore, MathF.Abs(expected[i]));
        }
        _output.WriteLine($"{model} on {ProviderName}: max |ONNX Runtime − Predict| = {maxDiff:E2} (largest |score| {maxScore:F2})");
        Assert.True(maxScore > 0.01f, $"{model}: the scores are all near zero, which proves nothing.");
        Assert.True(maxDiff <= Tolerance, $"{model} on {ProviderName}: ONNX Runtime's scores differ from Predict's by up to {maxDiff:E2} (tolerance {Tolerance:E0}).");
    }

    /// <summary>
    /// Two steps leave the running statistics mostly at their start (mean 0, variance 1), and a
    /// deep network then scores in the thousands at inference, where float rounding alone exceeds
    /// 1e-4. Training-mode forwards over quarters of the batch bring them near the data's
    /// (momentum 0.9: 0.9²⁴ ≈ 8 % of the start remains), as after real training.
    /// </summary>
    private void SettleBatchNormStatistics(Network network, OnnxTestBatch batch)
    {
        if (network.Buffers.Count == 0) return;
        int quarter = batch.Count / 4, values = quarter * batch.Sample.Length;
        using var part = Provider.Allocate(batch.ShapeOf(quarter));
        for (int i = 0; i < 24; i++)
        {
            Provider.Upload(batch.Images.AsSpan(i % 4 * values, values), part);
            network.Forward(part, training: true);
        }
    }
}

[ProviderUnderTest("managed")]
public sealed class ManagedOnnxRuntimeAgreementTests(ProviderFixture fixture, ITestOutputHelper output) : OnnxRuntimeAgreementTests(fixture, output);

[ProviderUnderTest("openblas")]
public sealed class OpenBlasOnnxRuntimeAgreementTests(ProviderFixture fixture, ITestOutputHelper output) : OnnxRuntimeAgreementTests(fixture, output);

[ProviderUnderTest("opencl")]
public sealed class OpenClOnnxRuntimeAgreementTests(ProviderFixture fixture, ITestOutputHelper output) : OnnxRuntimeAgreementTests(fixture, output);
