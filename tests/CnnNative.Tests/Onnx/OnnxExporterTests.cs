using System.Text.Json;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;
using CnnNative.Nn.Onnx;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using Microsoft.ML.OnnxRuntime;

namespace CnnNative.Tests.Onnx;

/// <summary>What an exported file declares (checked by ONNX Runtime reading it) and what the exporter refuses.</summary>
public sealed class OnnxExporterTests : IDisposable
{
    private readonly ManagedProvider _provider = new(threads: 1);
    private readonly TempFolder _dir = new("onnx-export");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private Network SimpleConv() => Network.Build(ModelPresets.Create(ModelPresets.SimpleConv), new TensorShape(1, 28, 28), 10, _provider, seed: 7);

    private static float[] Images(int count, int seed) => new Infrastructure.TestData(seed).Uniform(count * 784, 0f, 1f);

    [Fact]
    public void The_model_declares_a_free_batch_dimension_its_names_and_the_class_names()
    {
        using var network = SimpleConv();
        byte[] model = OnnxExporter.ToBytes(network, new OnnxExportOptions { ClassNames = ClassNames.FashionMnist });

        using var session = new InferenceSession(model);
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal([-1, 1, 28, 28], input.Value.Dimensions);
        Assert.Equal(OnnxExporter.BatchDimension, input.Value.SymbolicDimensions[0]);
        Assert.Equal(["scores", "probabilities"], session.OutputNames);
        Assert.Equal([-1, 10], session.OutputMetadata["scores"].Dimensions);
        var metadata = session.ModelMetadata;
        Assert.Equal("CnnNative", metadata.ProducerName);
        Assert.Equal(ClassNames.FashionMnist, JsonSerializer.Deserialize<string[]>(metadata.CustomMetadataMap[OnnxExporter.ClassNamesKey]));
        Assert.Equal(network.Spec, ModelSpec.FromJson(metadata.CustomMetadataMap[OnnxExporter.ModelSpecKey]));
        Assert.Contains("[0, 1]", metadata.Description);
        // ModelProto field 1 (ir_version) comes first: tag 0x08, then the varint.
        Assert.Equal([0x08, 8], model[..2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Any_batch_size_runs_and_the_probabilities_are_the_softmax_of_the_scores(int batch)
    {
        using var network = SimpleConv();
        byte[] model = OnnxExporter.ToBytes(network);
        float[] x = Images(batch, batch);

        float[] scores = OnnxRuntimeSession.Run(model, x, [batch, 1, 28, 28]);
        float[] probabilities = OnnxRuntimeSession.Run(model, x, [batch, 1, 28, 28], "probabilities");

        Assert.Equal(batch * 10, scores.Length);
        for (int n = 0; n < batch; n++)
        {
            var row = scores.AsSpan(n * 10, 10);
            float max = 0f;
            foreach (float s in row) max = MathF.Max(max, s);
            double sum = 0;
            foreach (float s in row) sum += Math.Exp(s - max);
            for (int c = 0; c < 10; c++)
                Assert.Equal(Math.Exp(row[c] - max) / sum, probabilities[n * 10 + c], 1e-6);
        }
    }

    [Fact]
    public void Opset_13_gives_ir_version_7_and_the_same_scores_as_opset_17()
    {
        using var network = SimpleConv();
        byte[] old = OnnxExporter.ToBytes(network, new OnnxExportOptions { Opset = 13 });
        byte[] current = OnnxExporter.ToBytes(network);
        float[] x = Images(3, 13);

        Assert.Equal([0x08, 7], old[..2]);
        Assert.Equal(OnnxRuntimeSession.Run(current, x, [3, 1, 28, 28]), OnnxRuntimeSession.Run(old, x, [3, 1, 28, 28]));
    }

    [Fact]
    public void Without_a_softmax_output_only_the_scores_remain()
    {
        using var network = SimpleConv();
        using var session = new InferenceSession(OnnxExporter.ToBytes(network, new OnnxExportOptions { ProbabilitiesName = null, ScoresName = "logits", InputName = "pixels" }));

        Assert.Equal(["logits"], session.OutputNames);
        Assert.Equal(["pixels"], session.InputNames);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(18)]
    public void An_opset_outside_13_to_17_is_refused(int opset)
    {
        using var network = SimpleConv();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(network, new OnnxExportOptions { Opset = opset }));
        Assert.Contains($"Opset {opset} is not offered; choose 13 to 17", e.Message);
    }

    [Fact]
    public void Class_names_that_do_not_match_the_model_are_refused()
    {
        using var network = SimpleConv();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(network, new OnnxExportOptions { ClassNames = ["a", "b"] }));
        Assert.Equal("2 class names were given but the model has 10 classes.", e.Message);
    }

    [Fact]
    public void Output_names_that_collide_are_refused()
    {
        using var network = SimpleConv();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(network, new OnnxExportOptions { ScoresName = "input" }));
        Assert.Contains("must differ", e.Message);
    }

    [Fact]
    public void A_diverged_model_is_refused_and_an_existing_file_is_left_as_it_was()
    {
        using var network = SimpleConv();
        string path = _dir.File("model.onnx");
        File.WriteAllText(path, "earlier export");
        var weights = network.GetTensor("affine1.W");
        var values = new float[weights.Length];
        values[17] = float.NaN;
        _provider.Upload(values, weights);

        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(network, path));

        Assert.Contains("Tensor 'affine1.W' holds NaN at index 17: the model diverged", e.Message);
        Assert.Equal("earlier export", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Export_to_a_path_replaces_the_file_with_a_model_that_loads()
    {
        using var network = SimpleConv();
        string path = _dir.File("model.onnx");
        File.WriteAllText(path, "earlier export");

        OnnxExporter.Export(network, path);

        using var session = new InferenceSession(path);
        Assert.Equal("input", session.InputNames[0]);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void The_readme_snippet_classifies_an_image()
    {
        using var network = SimpleConv();
        string path = _dir.File("model.onnx");
        OnnxExporter.Export(network, path, new OnnxExportOptions { ClassNames = ClassNames.FashionMnist });

        // README.md, "Export to ONNX", line for line (but the path and the image).
        using var session = new InferenceSession(path);
        string[] classes = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["class_names"])!;
        float[] pixels = Images(1, 99);
        using var x = OrtValue.CreateTensorValueFromMemory(pixels, [1, 1, 28, 28]);
        using var y = session.Run(new RunOptions(), ["input"], [x], ["probabilities"]);
        ReadOnlySpan<float> p = y[0].GetTensorDataAsSpan<float>();
        int best = 0;
        for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
        string line = $"{classes[best]} {p[best]:P1}";

        using var input = _provider.Allocate(new TensorShape(1, 1, 28, 28));
        _provider.Upload(pixels, input);
        var scores = new float[10];
        _provider.Download(network.Predict(input), scores);
        Assert.Equal(Array.IndexOf(scores, scores.Max()), best);
        Assert.StartsWith(ClassNames.FashionMnist[best] + " ", line);
    }

    [Fact]
    public void A_layer_without_an_onnx_form_is_refused_by_name()
    {
        using var layer = new Squaring(_provider, "square1", new TensorShape(4));
        var g = new OnnxGraphBuilder(["input"]);

        var e = Assert.Throws<OnnxExportException>(() => OnnxLayerEmitter.Emit(layer, new OnnxValue("input", new TensorShape(4)), g));

        Assert.StartsWith("Layer 'square1' (type 'square', Squaring) has no ONNX form in this exporter. Exportable layer types: conv, affine,", e.Message);
        Assert.Contains("residual, sequential.", e.Message);
    }

    /// <summary>A layer type the exporter does not know (a user's own).</summary>
    private sealed class Squaring : Layer
    {
        public Squaring(IComputeProvider provider, string name, TensorShape shape) : base(provider, name, shape) => OutputShape = shape;

        public override string Type => "square";

        protected override Tensor ForwardCore(Tensor x, int batch, StepContext context) => throw new NotSupportedException();

        protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context) => throw new NotSupportedException();
    }
}
