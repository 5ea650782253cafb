using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Checkpoints;
using CnnNative.Tests.Data;
using CnnNative.Tests.Reference;
using Xunit.Abstractions;

namespace CnnNative.Tests.Nn;

/// <summary>Residual blocks and groups: gradients, nested names, model-file errors, the resnet-small preset, checkpoints.</summary>
public sealed class ResidualTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    private void CheckGradient(Layer layer, params int[] inputDims)
    {
        NnTestData.Randomize(layer, 10);
        using var x = NnTestData.Random(_p, 1, inputDims);
        var result = GradientCheck.Check(layer, x);
        output.WriteLine(result.ToString());
        Assert.True(result.MaxRelativeError < Tolerance, $"{layer}:\n{result}");
        Assert.Equal(x.Length, result.Input!.Checked);
    }

    [Fact]
    public void Identity_block_gradient_matches_central_differences()
    {
        var shape = new TensorShape(2, 4, 4);
        using var block = new Residual("res",
        [
            new Convolution(_p, "conv1", shape, 2, 3, 1, 1), new BatchNormalization(_p, "bn1", shape),
            new Relu(_p, "relu1", shape), new Convolution(_p, "conv2", shape, 2, 3, 1, 1),
        ]);
        Assert.Equal(["res.conv1.W", "res.conv1.b", "res.bn1.gamma", "res.bn1.beta", "res.conv2.W", "res.conv2.b"],
            block.Parameters.Select(p => p.Name));
        Assert.Equal(["res.bn1.running_mean", "res.bn1.running_var"], block.Buffers.Select(b => b.Name));
        CheckGradient(block, 3, 2, 4, 4);
    }

    [Fact]
    public void Projection_block_gradient_matches_central_differences()
    {
        var shape = new TensorShape(2, 5, 5);
        var conv1 = new Convolution(_p, "conv1", shape, 3, 3, 2, 1);
        using var block = new Residual("down",
            [conv1, new PassThrough(_p, "id", conv1.OutputShape)],
            [new Convolution(_p, "proj", shape, 3, 1, 2, 0), new BatchNormalization(_p, "proj_bn", conv1.OutputShape)]);
        Assert.Equal(new TensorShape(3, 3, 3), block.OutputShape);
        CheckGradient(block, 4, 2, 5, 5);
    }

    [Fact]
    public void A_sequential_group_passes_its_gradient_check_and_prefixes_names()
    {
        var shape = new TensorShape(6);
        using var group = new Sequential("stage1", [new Affine(_p, "a", shape, 4), new Sigmoid(_p, "s", new TensorShape(4)), new Affine(_p, "b", new TensorShape(4), 3)]);
        Assert.Equal(["stage1.a.W", "stage1.a.b", "stage1.b.W", "stage1.b.b"], group.Parameters.Select(p => p.Name));
        CheckGradient(group, 3, 6);
    }

    [Fact]
    public void A_residual_network_gradient_matches_central_differences()
    {
        var spec = ModelSpec.FromJson("""
            { "init": "he", "layers": [
                { "type": "conv", "filters": 2, "kernel": 3, "pad": 1 },
                { "type": "sequential", "name": "stage1", "layers": [
                    { "type": "residual", "name": "block1",
                      "body": [ { "type": "conv", "filters": 3, "kernel": 3, "stride": 2, "pad": 1 }, { "type": "batchnorm" }, { "type": "relu" } ],
                      "shortcut": [ { "type": "conv", "name": "proj", "filters": 3, "kernel": 1, "stride": 2 } ] },
                    { "type": "relu" } ] },
                { "type": "globalavgpool" }, { "type": "affine", "units": 3 } ] }
            """);
        using var net = Network.Build(spec, new TensorShape(1, 6, 6), 3, _p, seed: 4);
        Assert.Contains("stage1.block1.proj.W", net.Parameters.Select(p => p.Name));
        Assert.Contains("stage1.block1.batchnorm1.running_var", net.Buffers.Select(b => b.Name));
        using var x = NnTestData.Random(_p, 2, 4, 1, 6, 6);
        using var labels = NnTestData.Labels(_p, 4, 3);
        var result = GradientCheck.Check(net, x, labels);
        output.WriteLine(result.ToString());
        Assert.True(result.MaxRelativeError < Tolerance, result.ToString());
    }

    [Fact]
    public void ResNet_small_has_nested_names_and_the_planned_shapes()
    {
        var spec = ModelPresets.Create(ModelPresets.ResNetSmall);
        var summary = spec.Validate(new TensorShape(1, 28, 28), 10);
        output.WriteLine(summary.ToString());
        Assert.Equal(new TensorShape(16, 28, 28), summary.Layers.Single(l => l.Name == "stage1").OutputShape);
        Assert.Equal(new TensorShape(32, 14, 14), summary.Layers.Single(l => l.Name == "stage2").OutputShape);
        Assert.Equal(new TensorShape(64, 7, 7), summary.Layers.Single(l => l.Name == "stage3").OutputShape);
        using var net = Network.Build(spec, new TensorShape(1, 28, 28), 10, _p, seed: 1);
        var names = net.NamedTensors().Select(t => t.Name).ToHashSet();
        foreach (var name in (string[])["stem.W", "stem_bn.gamma", "stage1.block1.conv1.W", "stage1.block2.batchnorm2.beta",
                     "stage2.block1.proj.W", "stage2.block1.proj_bn.running_mean", "stage3.block2.conv2.W", "affine1.W"])
            Assert.Contains(name, names);
        Assert.DoesNotContain("stage1.block1.proj.W", names);
        Assert.Equal(summary.TotalParameters, net.Parameters.Sum(p => (long)p.Value.Length));
    }

    [Fact]
    public void Model_file_mistakes_in_blocks_name_the_block()
    {
        var input = new TensorShape(2, 8, 8);
        string Error(string json) => Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson(json).Validate(input, 2)).Message;

        string identity = Error("""{ "layers": [ { "type": "residual", "body": [ { "type": "conv", "filters": 4, "kernel": 3, "pad": 1 } ] }, { "type": "affine", "units": 2 } ] }""");
        Assert.Contains("Layer 1 ('residual1', residual)", identity);
        Assert.Contains("identity shortcut cannot be added", identity);

        string mismatch = Error("""{ "layers": [ { "type": "residual", "body": [ { "type": "conv", "filters": 4, "kernel": 3, "pad": 1 } ], "shortcut": [ { "type": "conv", "filters": 4, "kernel": 1, "stride": 2 } ] }, { "type": "affine", "units": 2 } ] }""");
        Assert.Contains("both paths must give the same shape", mismatch);

        string nested = Error("""{ "layers": [ { "type": "sequential", "name": "stage1", "layers": [ { "type": "residual", "name": "b", "body": [ { "type": "conv", "kernel": 3 } ] } ] }, { "type": "affine", "units": 2 } ] }""");
        Assert.Contains("Layer 1 ('stage1', sequential) › Layer 1 ('b', residual) › body: Layer 1 ('conv1', conv)", nested);
        Assert.Contains("\"filters\" is required", nested);

        Assert.Contains("needs a \"body\"", Error("""{ "layers": [ { "type": "residual" }, { "type": "affine", "units": 2 } ] }"""));
        Assert.Contains("used twice", Error("""{ "layers": [ { "type": "residual", "body": [ { "type": "relu", "name": "x" } ], "shortcut": [ { "type": "relu", "name": "x" } ] }, { "type": "affine", "units": 2 } ] }"""));
        Assert.Contains("unknown setting \"fliters\"", Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson(
            """{ "layers": [ { "type": "residual", "body": [ { "type": "conv", "fliters": 2, "kernel": 1 } ] } ] }""")).Message);
    }

    [Fact]
    public void A_residual_checkpoint_round_trips_by_nested_name()
    {
        using var dir = new TempFolder("residual-checkpoint");
        var spec = ModelSpec.FromJson("""
            { "layers": [ { "type": "residual", "name": "block1", "body": [ { "type": "affine", "units": 5 }, { "type": "batchnorm" }, { "type": "relu" } ],
                            "shortcut": [ { "type": "affine", "units": 5, "name": "proj" } ] },
                          { "type": "affine", "units": 2 } ] }
            """);
        using var net = Network.Build(spec, new TensorShape(4), 2, _p, seed: 3);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("momentum"), net.Parameters);
        using var x = NnTestData.Random(_p, 5, 6, 4);
        using var labels = NnTestData.Labels(_p, 6, 2);
        for (int i = 0; i < 3; i++) net.TrainStep(x, labels, optimizer);
        var metadata = new CheckpointMetadata(net.Spec, ["a", "b"], 3, _p.Name);
        string path = dir.File(ModelCheckpoint.FileName);
        ModelCheckpoint.Save(path, net, optimizer, metadata);
        var checkpoint = ModelCheckpoint.Open(path);
        Assert.NotNull(checkpoint.Header.Find("block1.proj.W"));
        Assert.NotNull(checkpoint.Header.Find("optimizer.block1.affine1.W.velocity"));
        Assert.NotNull(checkpoint.Header.Find("block1.batchnorm1.running_mean"));
        using var loaded = checkpoint.LoadNetwork(_p);
        // The file stores float32; the reference computes in double, so the scores agree to float precision.
        foreach (var (a, b) in NnTestData.Download(net.Predict(x)).Zip(NnTestData.Download(loaded.Predict(x))))
            Assert.Equal(a, b, 5);
    }

    /// <summary>y = x: a user layer that returns its input and the incoming gradient as they are (a body may end in anything).</summary>
    private sealed class PassThrough : Layer
    {
        public PassThrough(IComputeProvider provider, string name, TensorShape shape) : base(provider, name, shape) => OutputShape = shape;

        public override string Type => "identity";

        protected override Tensor ForwardCore(Tensor x, int batch, StepContext context) => x;

        protected override Tensor? BackwardCore(Tensor dy, int batch, StepContext context) => PropagatesGradient ? dy : null;
    }
}
