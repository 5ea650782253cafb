using CnnNative.Core;
using CnnNative.Nn;

/// <summary>The network, built in code from layer instances: a stem, two residual stages (the second with a projection shortcut), global average pooling and a classifier.</summary>
static class ResidualNet
{
    public static Network Build(IComputeProvider p, TensorShape image, int classes)
    {
        var stem = new Convolution(p, "stem", image, 16, 3, 1, 1);
        var stemNorm = new BatchNormalization(p, "stem_bn", stem.OutputShape);
        var swish = new Swish(p, "swish", stemNorm.OutputShape);
        var stage1 = Block(p, "stage1", swish.OutputShape, 16, stride: 1);
        var relu1 = new Relu(p, "relu1", stage1.OutputShape);
        var stage2 = Block(p, "stage2", relu1.OutputShape, 32, stride: 2);
        var relu2 = new Relu(p, "relu2", stage2.OutputShape);
        var pool = new GlobalAveragePooling(p, "pool", relu2.OutputShape);
        var head = new Affine(p, "head", pool.OutputShape, classes);
        return new Network([stem, stemNorm, swish, stage1, relu1, stage2, relu2, pool, head], seed: 1, init: WeightInit.He);
    }

    /// <summary>conv-bn-relu-conv-bn plus the input (or its 1×1 projection when the shape changes).</summary>
    private static Residual Block(IComputeProvider p, string name, TensorShape input, int filters, int stride)
    {
        var conv1 = new Convolution(p, "conv1", input, filters, 3, stride, 1);
        var bn1 = new BatchNormalization(p, "bn1", conv1.OutputShape);
        var relu = new Relu(p, "relu", bn1.OutputShape);
        var conv2 = new Convolution(p, "conv2", relu.OutputShape, filters, 3, 1, 1);
        var bn2 = new BatchNormalization(p, "bn2", conv2.OutputShape);
        Layer[]? shortcut = stride == 1 && input[0] == filters ? null :
        [
            new Convolution(p, "project", input, filters, 1, stride, 0),
        ];
        return new Residual(name, [conv1, bn1, relu, conv2, bn2], shortcut);
    }
}
