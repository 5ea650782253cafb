using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;
using Xunit.Abstractions;

namespace CnnNative.Tests.Nn;

/// <summary>Networks built from layer instances in code, user-defined layers, and layer types registered by name for model files.</summary>
public sealed class ModuleTests(ITestOutputHelper output) : IDisposable
{
    private readonly ReferenceProvider _p = new();
    private static readonly TensorShape Image = new(2, 6, 6);

    public void Dispose() => _p.Dispose();

    private static ModelSpec SmallSpec() => new()
    {
        Init = WeightInit.He,
        Layers =
        [
            LayerSpec.Conv(3, 3, pad: 1), LayerSpec.BatchNorm(), LayerSpec.Relu(),
            LayerSpec.Residual([LayerSpec.Conv(3, 3, pad: 1), LayerSpec.BatchNorm()], name: "block1"),
            LayerSpec.Dropout(0.25f), LayerSpec.GlobalAvgPool(), LayerSpec.Affine(4),
        ],
    };

    private Layer[] SmallLayers()
    {
        var conv1 = new Convolution(_p, "conv1", Image, 3, 3, 1, 1);
        var bn = new BatchNormalization(_p, "batchnorm1", conv1.OutputShape);
        var relu = new Relu(_p, "relu1", bn.OutputShape);
        var block = new Residual("block1",
        [
            new Convolution(_p, "conv1", relu.OutputShape, 3, 3, 1, 1),
            new BatchNormalization(_p, "batchnorm1", relu.OutputShape),
        ]);
        var dropout = new Dropout(_p, "dropout1", block.OutputShape, 0.25f);
        var pool = new GlobalAveragePooling(_p, "globalavgpool1", dropout.OutputShape);
        return [conv1, bn, relu, block, dropout, pool, new Affine(_p, "affine1", pool.OutputShape, 4)];
    }

    [Fact]
    public void A_network_built_from_layers_equals_the_one_built_from_its_model_file()
    {
        using var coded = new Network(SmallLayers(), seed: 7, init: WeightInit.He);
        using var filed = Network.Build(SmallSpec(), Image, 4, _p, seed: 7);
        Assert.Equal(filed.NamedTensors().Select(t => t.Name), coded.NamedTensors().Select(t => t.Name));
        Assert.Contains("block1.conv1.W", coded.Parameters.Select(p => p.Name));
        Assert.Contains("block1.batchnorm1.running_mean", coded.Buffers.Select(b => b.Name));
        foreach (var (a, b) in coded.NamedTensors().Zip(filed.NamedTensors()))
            Assert.Equal(NnTestData.Download(b.Tensor), NnTestData.Download(a.Tensor));

        using var x = NnTestData.Random(_p, 3, 5, 2, 6, 6);
        using var labels = NnTestData.Labels(_p, 5, 4);
        coded.TrainingStep = filed.TrainingStep = 3;
        coded.Forward(x, true);
        filed.Forward(x, true);
        Assert.Equal(NnTestData.Download(filed.Loss(labels)), NnTestData.Download(coded.Loss(labels)));
        Assert.Equal(coded.Summary.TotalParameters, filed.Summary.TotalParameters);
    }

    [Fact]
    public void A_coded_network_describes_itself_as_a_model_file_that_rebuilds_it()
    {
        using var coded = new Network(SmallLayers(), seed: 2, init: WeightInit.He, name: "coded");
        var spec = ModelSpec.FromJson(coded.Spec.ToJson());
        Assert.Equal(coded.Spec, spec);
        using var rebuilt = Network.Build(spec, _p, seed: 2);
        Assert.Equal(coded.NamedTensors().Select(t => t.Name), rebuilt.NamedTensors().Select(t => t.Name));
        foreach (var (a, b) in coded.Parameters.Zip(rebuilt.Parameters))
            Assert.Equal(NnTestData.Download(a.Value), NnTestData.Download(b.Value));
    }

    [Fact]
    public void Layers_receive_the_step_context_from_the_network()
    {
        using var net = new Network(SmallLayers(), seed: 5);
        Assert.Equal(Enumerable.Range(0, 9), net.AllLayers().Select(l => l.Index));
        var dropout = net.FirstLayer<Dropout>()!;
        using var x = NnTestData.Random(_p, 1, 2, 2, 6, 6);
        net.TrainingStep = 1;
        net.Forward(x, true);
        var first = NnTestData.Download(dropout.Output!);
        net.TrainingStep = 2;
        net.Forward(x, true);
        Assert.NotEqual(first, NnTestData.Download(dropout.Output!));
        // The same mask as a layer run alone in the same step context (step 1, the network's seed, its index).
        net.TrainingStep = 1;
        net.Forward(x, true);
        using var alone = new Dropout(_p, "d", dropout.InputShape, 0.25f) { Index = dropout.Index };
        var input = net.GetLayer("block1").Output!;
        alone.Forward(input, StepContext.Train(1, seed: 5));
        Assert.Equal(NnTestData.Download(dropout.Output!), NnTestData.Download(alone.Output!));
    }

    [Fact]
    public void A_user_layer_trains_with_registered_parameters_initialised_and_checkpointed()
    {
        var shift = new LearnedShift(_p, "shift", new TensorShape(6));
        using var net = new Network([shift, new Swish(_p, "swish", new TensorShape(6)), new Affine(_p, "out", new TensorShape(6), 3)], seed: 4, init: WeightInit.Xavier);
        Assert.Equal(["shift.shift", "out.W", "out.b"], net.Parameters.Select(p => p.Name));
        Assert.Contains(NnTestData.Download(shift.Shift.Value), v => v != 0); // drawn by the initialiser
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        Assert.Contains("shift.shift.m", optimizer.State.Select(s => s.Name));
        using var x = NnTestData.Random(_p, 4, 8, 6);
        using var labels = NnTestData.Labels(_p, 8, 3);
        var before = NnTestData.Download(shift.Shift.Value);
        net.TrainStep(x, labels, optimizer);
        Assert.NotEqual(before, NnTestData.Download(shift.Shift.Value));
        Assert.Equal(1, net.TrainingStep);
        var check = GradientCheck.Check(net, x, labels);
        output.WriteLine(check.ToString());
        Assert.True(check.MaxRelativeError < 1e-5, check.ToString());
    }

    [Fact]
    public void A_user_layer_passes_its_gradient_check()
    {
        using var swish = new Swish(_p, "swish", new TensorShape(3, 4));
        using var x = NnTestData.Random(_p, 2, 5, 3, 4);
        var result = GradientCheck.Check(swish, x);
        Assert.True(result.MaxRelativeError < 1e-5, result.ToString());
    }

    [Fact]
    public void A_registered_type_is_usable_from_a_model_file()
    {
        var registry = new LayerRegistry();
        registry.Register("swish", c => new Swish(c.Provider, c.Name, c.InputShape));
        registry.Register("shift", c => new LearnedShift(c.Provider, c.Name, c.InputShape), parameterCount: (input, _) => input.Length);
        var spec = ModelSpec.FromJson("""
            { "layers": [ { "type": "affine", "units": 5 }, { "type": "Swish" },
                          { "type": "residual", "body": [ { "type": "shift" }, { "type": "swish" } ] },
                          { "type": "affine", "units": 2 } ] }
            """);
        var summary = spec.Validate(new TensorShape(4), 2, registry);
        using var net = Network.Build(spec, new TensorShape(4), 2, _p, seed: 1, registry);
        Assert.Equal(summary.TotalParameters, net.Parameters.Sum(p => (long)p.Value.Length));
        Assert.IsType<Swish>(net.GetLayer("swish1"));
        Assert.Contains("residual1.shift1.shift", net.Parameters.Select(p => p.Name));
        // Without the registry the type is unknown, and the message lists what is valid.
        var e = Assert.Throws<InvalidModelException>(() => spec.Validate(new TensorShape(4), 2, new LayerRegistry()));
        Assert.Contains("unknown type 'Swish'", e.Message);
    }

    [Fact]
    public void A_registered_type_checks_its_settings_and_its_shape_rule()
    {
        var registry = new LayerRegistry();
        registry.Register("swish", c => new Swish(c.Provider, c.Name, c.InputShape), settings: ["beta"]);
        registry.Register("liar", c => new Affine(c.Provider, c.Name, c.InputShape, 3));
        Assert.Throws<ArgumentException>(() => registry.Register("relu", c => new Relu(c.Provider, c.Name, c.InputShape)));
        Assert.Throws<ArgumentException>(() => registry.Register("swish", c => new Swish(c.Provider, c.Name, c.InputShape)));

        var ok = ModelSpec.FromJson("""{ "layers": [ { "type": "swish", "beta": 2 }, { "type": "affine", "units": 2 } ] }""");
        Assert.Equal(2.0, ok.Layers[0].GetNumber("beta", 1));
        ok.Validate(new TensorShape(4), 2, registry);
        var typo = ModelSpec.FromJson("""{ "layers": [ { "type": "swish", "betta": 2 }, { "type": "affine", "units": 2 } ] }""");
        Assert.Contains("does not take \"betta\"", Assert.Throws<InvalidModelException>(() => typo.Validate(new TensorShape(4), 2, registry)).Message);
        var liar = ModelSpec.FromJson("""{ "layers": [ { "type": "liar" }, { "type": "affine", "units": 2 } ] }""");
        var e = Assert.Throws<InvalidModelException>(() => Network.Build(liar, new TensorShape(4), 2, _p, registry: registry));
        Assert.Contains("shape rule", e.Message);
    }

    [Fact]
    public void Layers_that_do_not_connect_or_are_reused_are_refused()
    {
        using var a = new Affine(_p, "a", new TensorShape(4), 3);
        using var b = new Affine(_p, "b", new TensorShape(5), 2);
        var e = Assert.Throws<InvalidModelException>(() => new Network([a, b]));
        Assert.Contains("'b' (affine) expects input (5) but 'a' (affine) produces (3)", e.Message);

        var inner = new Relu(_p, "r", new TensorShape(4));
        using var seq = new Sequential("group", [inner]);
        Assert.Throws<ArgumentException>(() => new Sequential("again", [inner]));
        Assert.Equal("group.r", inner.Path);
    }
}
