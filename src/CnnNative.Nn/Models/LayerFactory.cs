using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>Creates the layer a validated <see cref="LayerPlan"/> describes, on a provider.</summary>
internal static class LayerFactory
{
    public static Layer Create(LayerPlan plan, IComputeProvider provider) => plan.Type switch
    {
        LayerTypes.Conv => new Convolution(provider, plan.Name, plan.Input, plan.Spec.Filters!.Value, plan.Kernel, plan.Stride, plan.Pad),
        LayerTypes.Affine => new Affine(provider, plan.Name, plan.Input, plan.Spec.Units!.Value),
        LayerTypes.Relu => new Relu(provider, plan.Name, plan.Input),
        LayerTypes.Sigmoid => new Sigmoid(provider, plan.Name, plan.Input),
        LayerTypes.Dropout => new Dropout(provider, plan.Name, plan.Input, plan.Ratio),
        LayerTypes.BatchNorm => new BatchNormalization(provider, plan.Name, plan.Input, plan.Spec.PerActivation ?? false),
        LayerTypes.MaxPool => new MaxPooling(provider, plan.Name, plan.Input, plan.Kernel, plan.Stride, plan.Pad),
        LayerTypes.AvgPool => new AveragePooling(provider, plan.Name, plan.Input, plan.Kernel, plan.Stride, plan.Pad),
        LayerTypes.GlobalAvgPool => new GlobalAveragePooling(provider, plan.Name, plan.Input),
        LayerTypes.Flatten => new Flatten(provider, plan.Name, plan.Input),
        _ => throw new InvalidModelException($"Layer '{plan.Name}': unknown type '{plan.Type}'. Valid types: {string.Join(", ", LayerTypes.All)}."),
    };
}
