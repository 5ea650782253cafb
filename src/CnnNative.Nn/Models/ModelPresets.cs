using System.Diagnostics.CodeAnalysis;

namespace CnnNative.Nn;

/// <summary>
/// The built-in models. Each is a <see cref="ModelSpec"/> ending in an affine layer with one
/// unit per class, so it can be printed, saved as a model file, edited and loaded back.
/// </summary>
public static partial class ModelPresets
{
    /// <summary>The book's TwoLayerNet: affine 50 → ReLU → affine.</summary>
    public const string TwoLayerNet = "two-layer-net";
    /// <summary>The book's SimpleConvNet: conv 30@5×5 → ReLU → max-pool → affine 100 → ReLU → affine.</summary>
    public const string SimpleConv = "simple-conv";
    /// <summary>The book's DeepConvNet: six 3×3 convs in three pooled stages, affine 50, dropout.</summary>
    public const string DeepConv = "deep-conv";
    /// <summary>VGG-style for 28×28: three blocks of two 3×3 conv + batch-norm + ReLU and a max-pool (32, 64, 128 channels).</summary>
    public const string VggSmall = "vgg-small";
    /// <summary>A small ResNet for 28×28 input (see <see cref="ResNetSmallSpec"/>).</summary>
    public const string ResNetSmall = "resnet-small";

    /// <summary>Every preset name, the values <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [TwoLayerNet, SimpleConv, DeepConv, VggSmall, DigitsCnn, Vgg16, ResNetSmall, FastConv];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive); an unknown name gets a message listing them.</summary>
    public static ModelSpec Create(string name, int classes = 10) =>
        TryCreate(name, classes, out var spec)
            ? spec
            : throw new InvalidModelException($"Unknown model preset '{name}'. Presets: {string.Join(", ", Names)}.");

    /// <summary>The preset called <paramref name="name"/> (case-insensitive) with <paramref name="classes"/> outputs; false for an unknown name.</summary>
    public static bool TryCreate(string name, int classes, [NotNullWhen(true)] out ModelSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        spec = name.Trim().ToLowerInvariant() switch
        {
            TwoLayerNet => TwoLayer(classes),
            SimpleConv => Simple(classes),
            DeepConv => Deep(classes),
            VggSmall => Vgg(classes),
            DigitsCnn => Digits(classes),
            Vgg16 => SeedVgg16(classes),
            ResNetSmall => ResNetSmallSpec(classes),
            FastConv => FastConvSpec(classes),
            _ => null,
        };
        return spec is not null;
    }

    /// <summary>The book's TwoLayerNet: affine 50 → ReLU → affine (784-50-10 on MNIST-sized input), weights 0.01·N(0, 1).</summary>
    private static ModelSpec TwoLayer(int classes) => new()
    {
        Name = TwoLayerNet,
        Init = WeightInit.Book,
        Layers = [LayerSpec.Affine(50), LayerSpec.Relu(), LayerSpec.Affine(classes)],
    };

    /// <summary>
    /// The book's SimpleConvNet: conv 30@5×5 (stride 1, pad 0) → ReLU → max-pool 2×2 stride 2 →
    /// affine 100 → ReLU → affine, weights 0.01·N(0, 1). On 28×28 input the first affine is 4320→100.
    /// </summary>
    private static ModelSpec Simple(int classes) => new()
    {
        Name = SimpleConv,
        Init = WeightInit.Book,
        Layers =
        [
            LayerSpec.Conv(30, 5, stride: 1, pad: 0), LayerSpec.Relu(),
            LayerSpec.MaxPool(2, stride: 2),
            LayerSpec.Affine(100), LayerSpec.Relu(),
            LayerSpec.Affine(classes),
        ],
    };

    /// <summary>
    /// The book's DeepConvNet: 3×3 convs 16-16 | pool | 32-32 (the second padded by 2) | pool | 64-64 | pool,
    /// each conv followed by ReLU, then affine 50 → ReLU → dropout 0.5 → affine → dropout 0.5; He initialisation.
    /// </summary>
    private static ModelSpec Deep(int classes) => new()
    {
        Name = DeepConv,
        Init = WeightInit.He,
        Layers =
        [
            LayerSpec.Conv(16, 3, 1, 1), LayerSpec.Relu(), LayerSpec.Conv(16, 3, 1, 1), LayerSpec.Relu(), LayerSpec.MaxPool(2, 2),
            LayerSpec.Conv(32, 3, 1, 1), LayerSpec.Relu(), LayerSpec.Conv(32, 3, 1, 2), LayerSpec.Relu(), LayerSpec.MaxPool(2, 2),
            LayerSpec.Conv(64, 3, 1, 1), LayerSpec.Relu(), LayerSpec.Conv(64, 3, 1, 1), LayerSpec.Relu(), LayerSpec.MaxPool(2, 2),
            LayerSpec.Affine(50), LayerSpec.Relu(), LayerSpec.Dropout(0.5f),
            LayerSpec.Affine(classes), LayerSpec.Dropout(0.5f),
        ],
    };

    /// <summary>
    /// VGG-style for 28×28: three blocks of (3×3 conv + batch-norm + ReLU) × 2 and a 2×2 max-pool,
    /// with 32, 64 and 128 channels (28 → 14 → 7 → 3), then affine 128 → batch-norm → ReLU →
    /// dropout 0.3 → affine; He initialisation.
    /// </summary>
    private static ModelSpec Vgg(int classes)
    {
        var layers = new List<LayerSpec>();
        foreach (int channels in (int[])[32, 64, 128])
        {
            for (int i = 0; i < 2; i++)
                layers.AddRange([LayerSpec.Conv(channels, 3, 1, 1), LayerSpec.BatchNorm(), LayerSpec.Relu()]);
            layers.Add(LayerSpec.MaxPool(2, 2));
        }
        layers.AddRange([LayerSpec.Affine(128), LayerSpec.BatchNorm(), LayerSpec.Relu(), LayerSpec.Dropout(0.3f), LayerSpec.Affine(classes)]);
        return new ModelSpec { Name = VggSmall, Init = WeightInit.He, Layers = layers };
    }
}
