using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Nn;

/// <summary>Presets, JSON model files and the validation messages a user sees for a bad model.</summary>
public sealed class ModelSpecTests
{
    private static readonly TensorShape Mnist = new(1, 28, 28);

    [Fact]
    public void Simple_conv_is_the_books_SimpleConvNet()
    {
        var summary = ModelPresets.Create("simple-conv").Validate(Mnist, 10);
        Assert.Equal(["conv1", "relu1", "maxpool1", "affine1", "relu2", "affine2"], summary.Layers.Select(l => l.Name));
        Assert.Equal(new TensorShape(30, 24, 24), summary.Layers[0].OutputShape);
        Assert.Equal(new TensorShape(30, 12, 12), summary.Layers[2].OutputShape);
        Assert.Equal(4320, summary.Layers[3].InputShape.Length); // Affine 4320 → 100
        Assert.Equal(30 * 25 + 30, summary.Layers[0].ParameterCount);
        Assert.Equal(780 + 432_100 + 1010, summary.TotalParameters);
        Assert.Equal(WeightInit.Normal(0.01), ModelPresets.Create("simple-conv").DefaultInit);
    }

    [Fact]
    public void Two_layer_net_is_784_50_10()
    {
        var summary = ModelPresets.Create("two-layer-net").Validate(Mnist, 10);
        Assert.Equal(784 * 50 + 50 + 50 * 10 + 10, summary.TotalParameters);
        Assert.Equal(new TensorShape(50), summary.Layers[0].OutputShape);
    }

    [Fact]
    public void Deep_conv_is_the_books_DeepConvNet()
    {
        var spec = ModelPresets.Create("deep-conv");
        var summary = spec.Validate(Mnist, 10);
        Assert.Equal(6, summary.Layers.Count(l => l.Type == "conv"));
        Assert.Equal(3, summary.Layers.Count(l => l.Type == "maxpool"));
        Assert.Equal(2, summary.Layers.Count(l => l.Type == "dropout"));
        Assert.Equal(new TensorShape(32, 16, 16), summary.Layers.Single(l => l.Name == "conv4").OutputShape); // pad 2
        Assert.Equal(new TensorShape(64, 4, 4), summary.Layers.Single(l => l.Name == "maxpool3").OutputShape);
        Assert.Equal(64 * 4 * 4 * 50 + 50, summary.Layers.Single(l => l.Name == "affine1").ParameterCount);
        Assert.Equal("dropout", summary.Layers[^1].Type);
        Assert.Equal(WeightInit.He, spec.DefaultInit);
    }

    [Fact]
    public void Vgg_small_has_three_batch_normed_blocks()
    {
        var summary = ModelPresets.Create("VGG-small").Validate(Mnist, 10);
        Assert.Equal([32, 32, 64, 64, 128, 128], summary.Layers.Where(l => l.Type == "conv").Select(l => l.OutputShape[0]));
        Assert.Equal(new TensorShape(128, 3, 3), summary.Layers.Single(l => l.Name == "maxpool3").OutputShape);
        Assert.True(summary.Layers.Count(l => l.Type == "batchnorm") >= 6);
    }

    [Fact]
    public void Every_preset_builds_on_a_provider_and_produces_class_scores()
    {
        using var p = new ReferenceProvider();
        foreach (var name in ModelPresets.Names)
        {
            using var net = Network.Build(ModelPresets.Create(name), InputFor(name), 10, p, seed: 1);
            Assert.Equal(10, net.Classes);
            Assert.Equal(net.Summary.TotalParameters, net.Parameters.Sum(x => (long)x.Value.Length));
        }
    }

    // VGG16's five 2×2 pools need at least 32×32 input: the smallest it takes, and 30× cheaper than its 224×224.
    private static TensorShape InputFor(string preset) => preset == ModelPresets.Vgg16 ? new TensorShape(3, 32, 32) : Mnist;

    [Fact]
    public void Json_round_trip_keeps_everything()
    {
        foreach (var name in ModelPresets.Names)
        {
            var spec = ModelPresets.Create(name).For(InputFor(name), 10);
            string json = spec.ToJson();
            var back = ModelSpec.FromJson(json);
            Assert.Equal(json, back.ToJson());
            Assert.Equal(spec.Validate().TotalParameters, back.Validate().TotalParameters);
        }
    }

    [Fact]
    public void Specs_compare_by_value()
    {
        var a = ModelPresets.Create("deep-conv").For(Mnist, 10);
        var b = ModelSpec.FromJson(a.ToJson());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Classes = 5 });
        Assert.NotEqual(a, ModelPresets.Create("deep-conv"));
        Assert.NotEqual(a, b with { Layers = [.. b.Layers.Take(b.Layers.Count - 1)] });
    }

    [Fact]
    public void A_hand_written_model_file_is_read()
    {
        const string json = """
        {
          // comments and trailing commas are fine
          "name": "mine",
          "init": "xavier",
          "layers": [
            { "type": "conv", "filters": 8, "kernel": [3, 5], "stride": [1, 2], "pad": [1, 2], "init": 0.05 },
            { "type": "BatchNorm", "perActivation": true },
            { "type": "sigmoid" },
            { "type": "avgpool", "size": 2 },
            { "type": "globalavgpool", "name": "gap" },
            { "type": "dropout", "ratio": 0.25 },
            { "type": "affine", "units": 10, "init": "he" },
          ]
        }
        """;
        var spec = ModelSpec.FromJson(json);
        Assert.Equal(new Size2(3, 5), spec.Layers[0].Kernel);
        Assert.Equal(WeightInit.Normal(0.05), spec.Layers[0].Init);
        Assert.Equal(WeightInit.Xavier, spec.DefaultInit);
        var summary = spec.Validate(Mnist, 10);
        Assert.Equal(new TensorShape(8, 28, 14), summary.Layers[0].OutputShape); // (28+2−3)/1+1, (28+4−5)/2+1
        Assert.Equal(2 * 8 * 28 * 14, summary.Layers[1].ParameterCount);       // per activation
        Assert.Equal("gap", summary.Layers[4].Name);
        string written = spec.ToJson();
        Assert.Contains("\"kernel\": [\n", written.Replace("\r", ""));
        Assert.Contains("\"init\": \"xavier\"", written);
    }

    [Fact]
    public void Weights_follow_the_layer_init_override()
    {
        using var p = new ReferenceProvider();
        var spec = new ModelSpec
        {
            Init = WeightInit.Normal(1e-3),
            Layers = [new LayerSpec { Type = "affine", Units = 400, Init = WeightInit.He }, LayerSpec.Affine(10)],
        };
        using var net = Network.Build(spec, new TensorShape(50), 10, p, seed: 4);
        Assert.InRange(Std(NnTestData.Download(net.GetTensor("affine1.W"))), 0.19, 0.21); // √(2/50) = 0.2
        Assert.InRange(Std(NnTestData.Download(net.GetTensor("affine2.W"))), 0.9e-3, 1.1e-3);
    }

    private static double Std(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    // ── what a user sees for a bad model ──────────────────────────────────────────────────

    private static string Error(string json, TensorShape? input = null, int classes = 10) =>
        Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson(json).Validate(input ?? Mnist, classes)).Message;

    [Fact]
    public void Unknown_layer_type_lists_the_valid_ones()
    {
        string m = Error("""{ "layers": [ { "type": "convolution2d", "filters": 3 } ] }""");
        Assert.Contains("Layer 1", m);
        Assert.Contains("unknown type 'convolution2d'", m);
        Assert.Contains("conv, affine, relu, sigmoid, dropout, batchnorm, maxpool, avgpool, globalavgpool, flatten", m);
    }

    [Fact]
    public void Missing_type_is_explained()
    {
        Assert.Contains("Layer 2 ('x') has no \"type\"", Error("""{ "layers": [ { "type": "relu" }, { "name": "x" } ] }"""));
    }

    [Fact]
    public void Misspelt_setting_is_not_ignored()
    {
        string m = Assert.Throws<InvalidModelException>(() =>
            ModelSpec.FromJson("""{ "layers": [ { "type": "conv", "fliters": 3, "kernel": 3 } ] }""")).Message;
        Assert.Contains("unknown setting", m);
        Assert.Contains("fliters", m);
    }

    [Fact]
    public void Setting_that_belongs_to_another_type_is_rejected()
    {
        string m = Error("""{ "layers": [ { "type": "relu", "units": 3 }, { "type": "affine", "units": 10 } ] }""");
        Assert.Contains("Layer 1 ('relu1', relu) does not take \"units\"", m);
    }

    [Fact]
    public void Missing_required_setting_says_which()
    {
        string m = Error("""{ "layers": [ { "type": "conv", "kernel": 3 }, { "type": "affine", "units": 10 } ] }""");
        Assert.Contains("\"filters\" is required", m);
    }

    [Fact]
    public void Shapes_that_do_not_connect_name_the_layer()
    {
        // After two 2×2 pools and a 5×5 conv the map is 3×3; a second 5×5 conv does not fit.
        string m = Error("""
        { "layers": [ { "type": "maxpool", "size": 2 }, { "type": "maxpool", "size": 2 },
                      { "type": "conv", "filters": 4, "kernel": 5 }, { "type": "conv", "name": "late", "filters": 4, "kernel": 5 },
                      { "type": "affine", "units": 10 } ] }
        """);
        Assert.Contains("Layer 4 ('late', conv)", m);
        Assert.Contains("input (4×3×3)", m);
        Assert.Contains("does not fit", m);
    }

    [Fact]
    public void Convolution_after_flattening_is_explained()
    {
        string m = Error("""{ "layers": [ { "type": "affine", "units": 20 }, { "type": "conv", "filters": 2, "kernel": 3 } ] }""");
        Assert.Contains("Layer 2 ('conv1', conv)", m);
        Assert.Contains("image input", m);
    }

    [Fact]
    public void Wrong_class_count_is_explained()
    {
        string m = Error("""{ "layers": [ { "type": "affine", "units": 5 } ] }""");
        Assert.Contains("produces (5) = 5 values per sample, but there are 10 classes", m);
    }

    [Fact]
    public void Absurd_sizes_are_refused()
    {
        Assert.Contains("between 1 and 65536", Error("""{ "layers": [ { "type": "affine", "units": 1000000 } ] }"""));
        Assert.Contains("more than the limit", Error("""{ "layers": [ { "type": "affine", "units": 60000 }, { "type": "affine", "units": 10 } ] }""", new TensorShape(3, 64, 64)));
        Assert.Contains("between 1 and 65536", Error("""{ "layers": [ { "type": "conv", "filters": 0, "kernel": 3 } ] }"""));
        Assert.Contains("stride must be", Error("""{ "layers": [ { "type": "conv", "filters": 2, "kernel": 3, "stride": 0 } ] }"""));
        Assert.Contains("dropout ratio", Error("""{ "layers": [ { "type": "dropout", "ratio": 1.5 } ] }"""));
        Assert.Contains("standard deviation", Assert.Throws<InvalidModelException>(() =>
            ModelSpec.FromJson("""{ "init": -1, "layers": [ { "type": "affine", "units": 10 } ] }""")).Message);
    }

    [Fact]
    public void Duplicate_names_and_bad_names_are_refused()
    {
        Assert.Contains("used twice", Error("""{ "layers": [ { "type": "relu", "name": "x" }, { "type": "affine", "name": "x", "units": 10 } ] }"""));
        Assert.Contains("may only use letters", Error("""{ "layers": [ { "type": "affine", "name": "a.b", "units": 10 } ] }"""));
    }

    [Fact]
    public void Input_and_class_mismatch_with_a_stored_spec()
    {
        var spec = ModelPresets.Create("two-layer-net").For(Mnist, 10);
        Assert.Contains("made for input [1, 28, 28] but the data has [3, 32, 32]",
            Assert.Throws<InvalidModelException>(() => spec.Validate(new TensorShape(3, 32, 32), 10)).Message);
        Assert.Contains("made for 10 classes but the data has 5",
            Assert.Throws<InvalidModelException>(() => spec.Validate(Mnist, 5)).Message);
    }

    [Fact]
    public void Malformed_json_and_empty_models()
    {
        Assert.Contains("not valid", Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson("{ \"layers\": [ ")).Message);
        Assert.Contains("no layers", Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson("{ \"layers\": [] }")).Message);
        Assert.Contains("no layers", Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson("{}")).Message);
        Assert.Contains("whole number or a [height, width] pair",
            Assert.Throws<InvalidModelException>(() => ModelSpec.FromJson("""{ "layers": [ { "type": "conv", "filters": 2, "kernel": "big" } ] }""")).Message);
    }

    [Fact]
    public void Unknown_preset_or_missing_file()
    {
        string m = Assert.Throws<InvalidModelException>(() => ModelSpec.FromPresetOrFile("resnet-50")).Message;
        Assert.Contains("two-layer-net, simple-conv, deep-conv, vgg-small", m);
        Assert.Equal("simple-conv", ModelSpec.FromPresetOrFile("simple-conv").Name);
        string path = Path.Combine(Path.GetTempPath(), $"cnn-model-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{ "layers": [ { "type": "affine", "units": 10 } ] }""");
            Assert.Single(ModelSpec.FromPresetOrFile(path).Layers);
            File.WriteAllText(path, """{ "layers": [ { "type": "nope" } ] }""");
            Assert.Contains("unknown type 'nope'", Assert.Throws<InvalidModelException>(() => ModelSpec.Load(path).Validate(Mnist, 10)).Message);
            File.WriteAllText(path, """{ "layers": [ { "type": "relu", "extra": 1 } ] }""");
            Assert.StartsWith(path + ":", Assert.Throws<InvalidModelException>(() => ModelSpec.Load(path)).Message);
            Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => ModelSpec.Load(path + ".missing")).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
