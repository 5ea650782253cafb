using CnnNative.Core;

namespace CnnNative.Nn.Onnx;

/// <summary>
/// The ONNX form of each layer, appended to a graph. Every form computes exactly what the
/// layer's inference-mode forward computes (weights and running statistics are copied from the
/// provider as they are), so ONNX Runtime and <see cref="Network.Predict"/> agree to rounding:
/// <list type="bullet">
/// <item>conv → Conv (W [F, C, KH, KW] is ONNX's layout; pads [top, left, bottom, right])</item>
/// <item>affine → Flatten (when the input is an image) + Gemm with B = W [in, out] (transB 0)</item>
/// <item>maxpool → MaxPool (ONNX ignores padding, as our −∞ padding does); avgpool → AveragePool with
///   count_include_pad 1 (our padding counts as zeros); globalavgpool → GlobalAveragePool + Flatten</item>
/// <item>batchnorm → BatchNormalization with the running statistics; per activation after a convolution:
///   Flatten, BatchNormalization over C·H·W features, Reshape back</item>
/// <item>dropout (the seed's non-inverted form) → Mul by 1 − ratio, its inference scaling</item>
/// <item>relu, sigmoid, tanh, leakyrelu (alpha = slope), flatten → Relu, Sigmoid, Tanh, LeakyRelu, Flatten</item>
/// <item>residual → its body and shortcut (or the input itself) in turn, then Add; sequential → its layers in turn</item>
/// </list>
/// Nodes and values are named by the layer's full path ("stage2.block1.conv1").
/// A layer type without a form here is refused with <see cref="OnnxExportException"/>.
/// </summary>
internal static class OnnxLayerEmitter
{
    public static OnnxValue Emit(Layer layer, OnnxValue x, OnnxGraphBuilder g) => layer switch
    {
        Convolution conv => Conv(conv, x, g),
        Affine affine => Gemm(affine, x, g),
        MaxPooling pool => Pool("MaxPool", pool, x, g),
        AveragePooling pool => Pool("AveragePool", pool, x, g, OnnxAttribute.Of("count_include_pad", 1L)),
        GlobalAveragePooling gap => GlobalAveragePool(gap, x, g),
        BatchNormalization bn => BatchNorm(bn, x, g),
        Dropout dropout => DropoutScaling(dropout, x, g),
        Relu relu => new(g.Node("Relu", relu.Path, [x.Name]), relu.OutputShape),
        Sigmoid sigmoid => new(g.Node("Sigmoid", sigmoid.Path, [x.Name]), sigmoid.OutputShape),
        Tanh tanh => new(g.Node("Tanh", tanh.Path, [x.Name]), tanh.OutputShape),
        LeakyRelu leaky => new(g.Node("LeakyRelu", leaky.Path, [x.Name], OnnxAttribute.Of("alpha", leaky.Slope)), leaky.OutputShape),
        Flatten flatten => Flat(x, g, flatten.Path),
        Residual block => ResidualSum(block, x, g),
        Sequential sequence => Chain(sequence.Layers, x, g),
        _ => throw new OnnxExportException(
            $"Layer '{layer.Path}' (type '{layer.Type}', {layer.GetType().Name}) has no ONNX form in this exporter. " +
            "Exportable layer types: conv, affine, relu, sigmoid, tanh, leakyrelu, maxpool, avgpool, globalavgpool, batchnorm, dropout, flatten, residual, sequential."),
    };

    /// <summary>The layers one after another, from <paramref name="x"/>.</summary>
    public static OnnxValue Chain(IEnumerable<Layer> layers, OnnxValue x, OnnxGraphBuilder g)
    {
        foreach (var layer in layers) x = Emit(layer, x, g);
        return x;
    }

    private static OnnxValue ResidualSum(Residual block, OnnxValue x, OnnxGraphBuilder g)
    {
        var main = Chain(block.Body, x, g);
        var side = block.Shortcut.Count == 0 ? x : Chain(block.Shortcut, x, g);
        return new(g.Node("Add", block.Path, [main.Name, side.Name]), block.OutputShape);
    }

    /// <summary>[N, …] → [N, product]: an ONNX Flatten at axis 1, or nothing when the value is already [N, D].</summary>
    public static OnnxValue Flat(OnnxValue x, OnnxGraphBuilder g, string name)
    {
        if (x.Sample.Rank == 1) return x;
        return new(g.Node("Flatten", name, [x.Name], OnnxAttribute.Of("axis", 1L)), new TensorShape(x.Sample.Length));
    }

    private static OnnxValue Conv(Convolution conv, OnnxValue x, OnnxGraphBuilder g)
    {
        string w = Parameter(conv.Weights, g);
        string b = Parameter(conv.Bias, g);
        string y = g.Node("Conv", conv.Path, [x.Name, w, b],
            OnnxAttribute.Of("kernel_shape", [conv.Kernel.Height, conv.Kernel.Width]),
            OnnxAttribute.Of("strides", [conv.Stride.Height, conv.Stride.Width]),
            OnnxAttribute.Of("pads", Pads(conv.Padding)));
        return new(y, conv.OutputShape);
    }

    private static OnnxValue Gemm(Affine affine, OnnxValue x, OnnxGraphBuilder g)
    {
        var flat = Flat(x, g, affine.Path + "/flatten");
        string w = Parameter(affine.Weights, g);
        string b = Parameter(affine.Bias, g);
        // Our W is [in, out], which is Gemm's B as it stands: Y = A·B + C with transB = 0.
        string y = g.Node("Gemm", affine.Path, [flat.Name, w, b],
            OnnxAttribute.Of("alpha", 1f), OnnxAttribute.Of("beta", 1f), OnnxAttribute.Of("transB", 0L));
        return new(y, affine.OutputShape);
    }

    private static OnnxValue Pool(string op, Pooling pool, OnnxValue x, OnnxGraphBuilder g, params OnnxAttribute[] extra)
    {
        OnnxAttribute[] attributes =
        [
            OnnxAttribute.Of("kernel_shape", [pool.Window.Height, pool.Window.Width]),
            OnnxAttribute.Of("strides", [pool.Stride.Height, pool.Stride.Width]),
            OnnxAttribute.Of("pads", Pads(pool.Padding)),
            .. extra,
        ];
        return new(g.Node(op, pool.Path, [x.Name], attributes), pool.OutputShape);
    }

    private static OnnxValue GlobalAveragePool(GlobalAveragePooling gap, OnnxValue x, OnnxGraphBuilder g)
    {
        // ONNX keeps the 1×1 map ([N, C, 1, 1]); ours is already [N, C].
        string pooled = g.Node("GlobalAveragePool", gap.Path + "/pool", [x.Name]);
        return new(g.Node("Flatten", gap.Path, [pooled], OnnxAttribute.Of("axis", 1L)), gap.OutputShape);
    }

    private static OnnxValue BatchNorm(BatchNormalization bn, OnnxValue x, OnnxGraphBuilder g)
    {
        // Statistics over one value per sample and feature: ONNX normalises axis 1 of [N, D],
        // so an image normalised per activation is flattened to [N, C·H·W] and reshaped back.
        bool flatten = bn.PerActivation && x.Sample.Rank > 1;
        var input = flatten ? Flat(x, g, bn.Path + "/flatten") : x;
        string gamma = Parameter(bn.Gamma, g);
        string beta = Parameter(bn.Beta, g);
        string mean = Buffer(bn.Path + ".running_mean", bn.RunningMean, g);
        string variance = Buffer(bn.Path + ".running_var", bn.RunningVar, g);
        string y = g.Node("BatchNormalization", flatten ? bn.Path + "/normalize" : bn.Path, [input.Name, gamma, beta, mean, variance],
            OnnxAttribute.Of("epsilon", bn.Epsilon), OnnxAttribute.Of("momentum", bn.Momentum));
        if (!flatten) return new(y, bn.OutputShape);
        long[] shape = [-1, .. bn.OutputShape.Dimensions.Select(d => (long)d)];
        string target = g.Int64Constant(bn.Path + ".shape", shape);
        return new(g.Node("Reshape", bn.Path, [y, target]), bn.OutputShape);
    }

    private static OnnxValue DropoutScaling(Dropout dropout, OnnxValue x, OnnxGraphBuilder g)
    {
        // The seed's dropout keeps activations unscaled in training and multiplies by 1 − ratio at inference.
        if (dropout.Ratio == 0f) return x;
        string scale = g.Constant(dropout.Path + ".scale", [], [1f - dropout.Ratio]);
        return new(g.Node("Mul", dropout.Path, [x.Name, scale]), dropout.OutputShape);
    }

    private static long[] Pads(Size2 pad) => [pad.Height, pad.Width, pad.Height, pad.Width];

    private static string Parameter(Parameter p, OnnxGraphBuilder g) => Buffer(p.Name, p.Value, g);

    private static string Buffer(string name, Tensor tensor, OnnxGraphBuilder g)
    {
        var values = new float[tensor.Length];
        tensor.Provider.Download(tensor, values);
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new OnnxExportException(
                $"Tensor '{name}' holds {values[bad]} at index {bad}: the model diverged, and a runtime would only produce NaN. Export a checkpoint saved before the divergence.");
        return g.Constant(name, tensor.Shape.Dimensions.AsSpan(), values);
    }
}
