using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// Every layer type a model file may name — the built-in ones (<see cref="LayerTypes.All"/>) and
/// those registered in code (<see cref="LayerRegistry"/>) — forward (training and inference) and
/// backward, with the same weights, input and upstream gradient on both providers; compared are
/// the output, dL/dx, every parameter gradient and every running statistic. The list of types
/// comes from the registry, so a new type is checked without an edit here: with the awkward
/// shapes below when it has some, else as <c>{ "type": … }</c> on a [3, 6, 6] input.
/// </summary>
internal static class LayerCases
{
    /// <summary>Shapes that stress each built-in type: odd sizes, strides, padding, both batch-norm modes, both shortcuts.</summary>
    private static readonly Dictionary<string, (string Name, string Json, int[] Input)[]> Variants = new(StringComparer.Ordinal)
    {
        [LayerTypes.Affine] = [("affine", """{ "type": "affine", "units": 17 }""", [7, 3, 5, 5])],
        [LayerTypes.Relu] = [("relu", """{ "type": "relu" }""", [5, 4, 3, 3])],
        [LayerTypes.Sigmoid] = [("sigmoid", """{ "type": "sigmoid" }""", [6, 33])],
        [LayerTypes.Tanh] = [("tanh", """{ "type": "tanh" }""", [6, 2, 3, 5])],
        [LayerTypes.LeakyRelu] = [("leakyrelu slope 0.1", """{ "type": "leakyrelu", "slope": 0.1 }""", [5, 4, 3, 3])],
        [LayerTypes.Dropout] = [("dropout", """{ "type": "dropout", "ratio": 0.35 }""", [6, 1, 5, 7])],
        [LayerTypes.BatchNorm] =
        [
            ("batchnorm per channel", """{ "type": "batchnorm" }""", [6, 4, 5, 3]),
            ("batchnorm per activation", """{ "type": "batchnorm", "perActivation": true }""", [8, 19]),
        ],
        [LayerTypes.Conv] =
        [
            ("conv 5×5", """{ "type": "conv", "filters": 6, "kernel": 5 }""", [3, 1, 12, 12]),
            ("conv 3×2 stride 2×1 pad 1×2", """{ "type": "conv", "filters": 5, "kernel": [3, 2], "stride": [2, 1], "pad": [1, 2] }""", [2, 3, 9, 7]),
            ("conv 1×1", """{ "type": "conv", "filters": 3, "kernel": 1 }""", [3, 8, 4, 4]),
            ("conv 3×3 pad 1, 16 channels", """{ "type": "conv", "filters": 24, "kernel": 3, "pad": 1 }""", [4, 16, 10, 10]),
        ],
        [LayerTypes.MaxPool] =
        [
            ("maxpool 2×2", """{ "type": "maxpool", "size": 2 }""", [4, 3, 8, 6]),
            ("maxpool 3×3 stride 2 pad 1", """{ "type": "maxpool", "size": 3, "stride": 2, "pad": 1 }""", [3, 2, 7, 9]),
        ],
        [LayerTypes.AvgPool] = [("avgpool 2×3 stride 2 pad 1", """{ "type": "avgpool", "size": [2, 3], "stride": 2, "pad": 1 }""", [3, 2, 6, 7])],
        [LayerTypes.GlobalAvgPool] = [("globalavgpool", """{ "type": "globalavgpool" }""", [3, 5, 4, 6])],
        [LayerTypes.Flatten] = [("flatten", """{ "type": "flatten" }""", [3, 2, 3, 4])],
        [LayerTypes.Residual] =
        [
            ("residual, identity shortcut",
                """{ "type": "residual", "body": [ { "type": "conv", "filters": 4, "kernel": 3, "pad": 1 }, { "type": "batchnorm" }, { "type": "relu" } ] }""",
                [3, 4, 6, 6]),
            ("residual, projection shortcut stride 2",
                """{ "type": "residual", "body": [ { "type": "conv", "filters": 6, "kernel": 3, "stride": 2, "pad": 1 }, { "type": "relu" } ], "shortcut": [ { "type": "conv", "filters": 6, "kernel": 1, "stride": 2 } ] }""",
                [2, 3, 7, 7]),
        ],
        [LayerTypes.Sequential] =
        [
            ("sequential conv + tanh", """{ "type": "sequential", "layers": [ { "type": "conv", "filters": 3, "kernel": 3 }, { "type": "tanh" } ] }""", [2, 2, 6, 5]),
        ],
    };

    /// <summary>The cases of every built-in type and every type in <paramref name="registry"/> (default <see cref="LayerRegistry.Default"/>).</summary>
    public static IEnumerable<EquivalenceCase> All(LayerRegistry? registry = null)
    {
        registry ??= LayerRegistry.Default;
        int seed = 100;
        foreach (string type in LayerTypes.All.Concat(registry.Names))
            foreach (var (name, json, input) in Variants.GetValueOrDefault(type) ?? [(type, $$"""{ "type": "{{type}}" }""", [2, 3, 6, 6])])
            {
                int caseSeed = seed++;
                yield return new EquivalenceCase("layer", name, CheckTolerance.Layer, p => Run(p, registry, json, input, caseSeed));
            }
    }

    private static List<CheckOutput> Run(IComputeProvider p, LayerRegistry registry, string layerJson, int[] input, int seed)
    {
        // A network needs one score per class at its end: an affine layer of one unit gives it;
        // only the first layer, the one under test, is run and compared.
        var spec = ModelSpec.FromJson($$"""{ "layers": [ {{layerJson}}, { "type": "affine", "units": 1 } ] }""");
        using var network = Network.Build(spec, new TensorShape(input[1..]), classes: 1, p, registry: registry);
        var layer = network.Layers[0];
        layer.PropagatesGradient = true; // a network's first layer skips dL/dx; the check compares it
        using var d = new CheckData(p, seed);
        foreach (var parameter in layer.Parameters)
        {
            // Scales (batch-norm γ) near 1, as trained networks have them; the rest small.
            var values = d.Uniform(parameter.Value.Length, -0.5f, 0.5f);
            if (parameter.Role == ParameterRole.Scale) for (int j = 0; j < values.Length; j++) values[j] += 1f;
            p.Upload(values, parameter.Value);
        }
        var x = d.Random(input);
        var y = layer.Forward(x, StepContext.Train(step: 3, seed: 11)); // the step and seed key dropout's mask
        var outputs = new List<CheckOutput> { d.Read("y (training)", y) };
        var dy = d.Random([.. y.Shape.Dimensions]);
        if (layer.Backward(dy) is { } dx) outputs.Add(d.Read("dx", dx));
        foreach (var parameter in layer.Parameters) outputs.Add(d.Read("d" + parameter.Name, parameter.Gradient));
        foreach (var buffer in network.Buffers) outputs.Add(d.Read(buffer.Name, buffer.Tensor)); // a block's children's too
        outputs.Add(d.Read("y (inference)", layer.Forward(x, training: false)));
        return outputs;
    }
}
