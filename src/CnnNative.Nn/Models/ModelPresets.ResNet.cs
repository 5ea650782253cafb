namespace CnnNative.Nn;

public static partial class ModelPresets
{
    /// <summary>
    /// ResNet-style for 28×28: a 3×3 stem conv with 16 filters + batch-norm + ReLU, then three
    /// stages ("stage1"…"stage3") of two residual blocks each with 16, 32 and 64 channels
    /// (28 → 28 → 14 → 7; the first block of stages 2 and 3 has stride 2 and a 1×1 projection
    /// shortcut "proj" + "proj_bn"); each block's body is conv–batch-norm–ReLU–conv–batch-norm and a ReLU
    /// follows the sum. Then global average pooling and an affine layer; He initialisation.
    /// Parameters are named "stage2.block1.conv1.W", "stage2.block1.proj.W", ….
    /// </summary>
    public static ModelSpec ResNetSmallSpec(int classes = 10)
    {
        var layers = new List<LayerSpec> { LayerSpec.Conv(16, 3, 1, 1) with { Name = "stem" }, LayerSpec.BatchNorm() with { Name = "stem_bn" }, LayerSpec.Relu() };
        int stage = 0;
        foreach (int channels in (int[])[16, 32, 64])
        {
            stage++;
            var blocks = new List<LayerSpec>();
            for (int block = 1; block <= 2; block++)
            {
                int stride = stage > 1 && block == 1 ? 2 : 1;
                LayerSpec[] body =
                [
                    LayerSpec.Conv(channels, 3, stride, 1), LayerSpec.BatchNorm(), LayerSpec.Relu(),
                    LayerSpec.Conv(channels, 3, 1, 1), LayerSpec.BatchNorm(),
                ];
                LayerSpec[]? shortcut = stride == 1 ? null :
                    [LayerSpec.Conv(channels, 1, stride, 0) with { Name = "proj" }, LayerSpec.BatchNorm() with { Name = "proj_bn" }];
                blocks.Add(LayerSpec.Residual(body, shortcut, name: $"block{block}"));
                blocks.Add(LayerSpec.Relu());
            }
            layers.Add(LayerSpec.Sequential($"stage{stage}", blocks));
        }
        layers.AddRange([LayerSpec.GlobalAvgPool(), LayerSpec.Affine(classes)]);
        return new ModelSpec { Name = ResNetSmall, Init = WeightInit.He, Layers = layers };
    }
}
