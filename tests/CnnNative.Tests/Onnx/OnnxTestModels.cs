using CnnNative.Nn;

namespace CnnNative.Tests.Onnx;

/// <summary>
/// Models beyond the presets that together use every layer form the exporter knows: padded
/// average and max pooling, batch-norm per activation after a convolution and per feature
/// after an affine layer, sigmoid, tanh, leaky ReLU, dropout, flatten and global average pooling.
/// </summary>
internal static class OnnxTestModels
{
    public const string EveryLayer = "every-layer";
    public const string GlobalAverage = "global-average";

    public static IReadOnlyList<string> Names { get; } = [EveryLayer, GlobalAverage];

    /// <summary>A preset or one of <see cref="Names"/>.</summary>
    public static ModelSpec Create(string name) => name switch
    {
        EveryLayer => new ModelSpec
        {
            Name = EveryLayer,
            Init = WeightInit.He,
            Layers =
            [
                LayerSpec.Conv(6, 3, pad: 1), LayerSpec.BatchNorm(perActivation: true), LayerSpec.Sigmoid(),
                LayerSpec.AvgPool(3, stride: 2, pad: 1),
                LayerSpec.Conv(8, new Size2(3, 2), stride: new Size2(1, 2), pad: new Size2(1, 0)), LayerSpec.BatchNorm(), LayerSpec.Relu(),
                LayerSpec.MaxPool(3, stride: 2, pad: 1),
                LayerSpec.Dropout(0.25f), LayerSpec.Flatten(),
                LayerSpec.Affine(24), LayerSpec.BatchNorm(), LayerSpec.Relu(),
                LayerSpec.Affine(10),
            ],
        },
        GlobalAverage => new ModelSpec
        {
            Name = GlobalAverage,
            Init = WeightInit.He,
            Layers = [LayerSpec.Conv(12, 5, stride: 2), LayerSpec.LeakyRelu(0.1f), LayerSpec.GlobalAvgPool(), LayerSpec.Affine(16), LayerSpec.Tanh(), LayerSpec.Affine(10)],
        },
        // VGG16 with its own N(0, 1/fan-in) weights and no training scores about 1e-3 after sixteen
        // ReLU layers, which would make a 1e-4 comparison empty; He weights keep the scale near 1.
        ModelPresets.Vgg16 => ModelPresets.Create(name) with { Init = WeightInit.He },
        _ => ModelPresets.Create(name),
    };
}
