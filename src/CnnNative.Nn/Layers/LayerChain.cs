using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>Running a list of layers one after another, forward and back: what <see cref="Sequential"/>, a residual block's paths and a network share.</summary>
internal static class LayerChain
{
    /// <summary>Checks that each layer accepts the previous one's output; the message names both.</summary>
    public static void CheckConnected(IReadOnlyList<Layer> layers, string where)
    {
        foreach (var layer in layers)
            if (layer.OutputShape.Rank == 0)
                throw new InvalidModelException($"{where}: layer '{layer.Name}' ({layer.Type}) has no output shape; a layer sets OutputShape in its constructor.");
        for (int i = 1; i < layers.Count; i++)
            if (!layers[i].Accepts(layers[i - 1].OutputShape))
                throw new InvalidModelException(
                    $"{where}: layer '{layers[i].Name}' ({layers[i].Type}) expects input {layers[i].InputShape} but '{layers[i - 1].Name}' ({layers[i - 1].Type}) produces {layers[i - 1].OutputShape}.");
    }

    /// <summary>
    /// Runs the layers in order. In inference (unless <see cref="StepContext.KeepLayerOutputs"/>),
    /// a convolution followed by per-channel batch normalisation, and optionally a ReLU, runs as one
    /// fused operation: the batch-norm's running statistics are constants then, so it is a
    /// per-channel scale and shift the convolution applies in its own output pass. A residual
    /// block whose body ends in conv → batch-norm adds its shortcut in that same pass, and a ReLU
    /// after the block joins it. Training keeps the layers apart (batch statistics depend on the
    /// whole batch's convolution output).
    /// </summary>
    public static Tensor Forward(Layer[] layers, Tensor x, StepContext context)
    {
        for (int i = 0; i < layers.Length; i++)
        {
            if (!context.Training && !context.KeepLayerOutputs && layers[i] is Convolution conv
                && i + 1 < layers.Length && layers[i + 1] is BatchNormalization { PerActivation: false } norm)
            {
                bool relu = i + 2 < layers.Length && layers[i + 2] is Relu;
                x = conv.ForwardFused(x, context, norm, relu);
                i += relu ? 2 : 1;
                continue;
            }
            if (!context.Training && !context.KeepLayerOutputs && layers[i] is Residual { FusesSum: true } block)
            {
                bool relu = i + 1 < layers.Length && layers[i + 1] is Relu;
                x = block.ForwardFused(x, context, relu);
                i += relu ? 1 : 0;
                continue;
            }
            x = layers[i].Forward(x, context);
        }
        return x;
    }

    /// <summary>Back-propagates through every layer; null once a layer that does not propagate (the first, when its owner needs no input gradient) is reached.</summary>
    public static Tensor? Backward(Layer[] layers, Tensor dy)
    {
        Tensor? d = dy;
        for (int i = layers.Length - 1; i >= 0 && d is not null; i--) d = layers[i].Backward(d);
        return d;
    }
}
