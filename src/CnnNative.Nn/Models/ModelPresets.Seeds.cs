namespace CnnNative.Nn;

// The two networks the source documents (../shared/seeds) build themselves.
public static partial class ModelPresets
{
    /// <summary>Seed 003's CNN for the 8×8 digits: conv 8@3×3 pad 1 → ReLU → max-pool 2×2 → affine 4·4·8 → classes.</summary>
    public const string DigitsCnn = "digits-cnn";

    /// <summary>Seed 002's VGG16 for 224×224 RGB input (1000 classes unless the data say otherwise).</summary>
    public const string Vgg16 = "vgg16";

    /// <summary>The class count VGG16 was built for (ImageNet) when no data set decides it.</summary>
    public const int Vgg16Classes = 1000;

    /// <summary>
    /// Seed 003's SimpleConvNet on the digits: conv 1→8 3×3 pad 1, ReLU, 2×2 max-pool, affine
    /// 4·4·8 → classes. The numpy version there draws He weights (√(2/9) for the conv, √(2/128)
    /// for the affine) and zero biases, which is what <see cref="WeightInit.He"/> does.
    /// </summary>
    private static ModelSpec Digits(int classes) => new()
    {
        Name = DigitsCnn,
        Init = WeightInit.He,
        Layers = [LayerSpec.Conv(8, 3, stride: 1, pad: 1), LayerSpec.Relu(), LayerSpec.MaxPool(2, stride: 2), LayerSpec.Affine(classes)],
    };

    /// <summary>
    /// Seed 002's VGG16: thirteen 3×3 convolutions with padding 1 in five blocks (64, 64 | 128, 128 |
    /// 256 ×3 | 512 ×3 | 512 ×3), each conv followed by ReLU and each block by a 2×2 max-pool, then
    /// affine 4096 → ReLU → dropout, affine 4096 → ReLU → dropout, affine → classes. The seed's
    /// DeZero layers draw weights N(0, 1/fan-in) (<see cref="WeightInit.Xavier"/>) and its
    /// <c>F.dropout</c> drops half. Its input is 224×224 RGB turned into BGR minus the channel
    /// means (the data option <c>--preprocess vgg</c>).
    /// </summary>
    private static ModelSpec SeedVgg16(int classes)
    {
        var layers = new List<LayerSpec>();
        foreach (var (channels, convs) in (ReadOnlySpan<(int, int)>)[(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)])
        {
            for (int i = 0; i < convs; i++)
                layers.AddRange([LayerSpec.Conv(channels, 3, 1, 1), LayerSpec.Relu()]);
            layers.Add(LayerSpec.MaxPool(2, 2));
        }
        layers.AddRange(
        [
            LayerSpec.Affine(4096), LayerSpec.Relu(), LayerSpec.Dropout(0.5f),
            LayerSpec.Affine(4096), LayerSpec.Relu(), LayerSpec.Dropout(0.5f),
            LayerSpec.Affine(classes),
        ]);
        return new ModelSpec { Name = Vgg16, Init = WeightInit.Xavier, Layers = layers };
    }
}
