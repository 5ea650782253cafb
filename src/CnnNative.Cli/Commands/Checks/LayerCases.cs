using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// Every layer type the model files offer, forward (training and inference) and backward,
/// with the same weights, input and upstream gradient on both providers; compared are the
/// output, dL/dx, every parameter gradient and every running statistic.
/// </summary>
internal static class LayerCases
{
    private static readonly (string Name, Func<IComputeProvider, Layer> Create, int[] Input)[] Layers =
    [
        ("affine", p => new Affine(p, "a", new TensorShape(3, 5, 5), 17), [7, 3, 5, 5]),
        ("relu", p => new Relu(p, "r", new TensorShape(4, 9)), [5, 4, 9]),
        ("sigmoid", p => new Sigmoid(p, "s", new TensorShape(33)), [6, 33]),
        ("dropout", p => new Dropout(p, "d", new TensorShape(5, 7), 0.35f) { Index = 4 }, [6, 5, 7]),
        ("batchnorm per channel", p => new BatchNormalization(p, "bn", new TensorShape(4, 5, 3)), [6, 4, 5, 3]),
        ("batchnorm per activation", p => new BatchNormalization(p, "bn", new TensorShape(19)), [8, 19]),
        ("conv 5×5", p => new Convolution(p, "c", new TensorShape(1, 12, 12), 6, 5, 1, 0), [3, 1, 12, 12]),
        ("conv 3×2 stride 2×1 pad 1×2", p => new Convolution(p, "c", new TensorShape(3, 9, 7), 5, new Size2(3, 2), new Size2(2, 1), new Size2(1, 2)), [2, 3, 9, 7]),
        ("conv 1×1", p => new Convolution(p, "c", new TensorShape(8, 4, 4), 3, 1, 1, 0), [3, 8, 4, 4]),
        ("conv 3×3 pad 1, 16 channels", p => new Convolution(p, "c", new TensorShape(16, 10, 10), 24, 3, 1, 1), [4, 16, 10, 10]),
        ("maxpool 2×2", p => new MaxPooling(p, "m", new TensorShape(3, 8, 6), 2, 2), [4, 3, 8, 6]),
        ("maxpool 3×3 stride 2 pad 1", p => new MaxPooling(p, "m", new TensorShape(2, 7, 9), 3, 2, 1), [3, 2, 7, 9]),
        ("avgpool 2×3 stride 2 pad 1", p => new AveragePooling(p, "a", new TensorShape(2, 6, 7), new Size2(2, 3), new Size2(2, 2), new Size2(1, 1)), [3, 2, 6, 7]),
        ("global average pooling", p => new GlobalAveragePooling(p, "g", new TensorShape(5, 4, 6)), [3, 5, 4, 6]),
        ("flatten", p => new Flatten(p, "f", new TensorShape(2, 3, 4)), [3, 2, 3, 4]),
    ];

    public static IEnumerable<EquivalenceCase> All()
    {
        for (int i = 0; i < Layers.Length; i++)
        {
            var (name, create, input) = Layers[i];
            int seed = 100 + i;
            yield return new EquivalenceCase("layer", name, CheckTolerance.Layer, p => Run(p, create, input, seed));
        }
    }

    private static List<CheckOutput> Run(IComputeProvider p, Func<IComputeProvider, Layer> create, int[] input, int seed)
    {
        using var d = new CheckData(p, seed);
        using var layer = create(p);
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
        foreach (var buffer in layer.Buffers) outputs.Add(d.Read(buffer.Name, buffer.Tensor));
        outputs.Add(d.Read("y (inference)", layer.Forward(x, training: false)));
        return outputs;
    }
}
