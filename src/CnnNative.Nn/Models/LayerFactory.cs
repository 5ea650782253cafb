using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>Creates the layer a validated <see cref="LayerPlan"/> describes, on a provider (containers with their inner layers).</summary>
internal static class LayerFactory
{
    public static Layer Create(LayerPlan plan, IComputeProvider provider)
    {
        var init = plan.Spec.Init;
        switch (plan.Type)
        {
            case LayerTypes.Conv:
                return new Convolution(provider, plan.Name, plan.Input, plan.Spec.Filters!.Value, plan.Kernel, plan.Stride, plan.Pad) { Init = init };
            case LayerTypes.Affine:
                return new Affine(provider, plan.Name, plan.Input, plan.Spec.Units!.Value) { Init = init };
            case LayerTypes.Relu: return new Relu(provider, plan.Name, plan.Input);
            case LayerTypes.Sigmoid: return new Sigmoid(provider, plan.Name, plan.Input);
            case LayerTypes.Tanh: return new Tanh(provider, plan.Name, plan.Input);
            case LayerTypes.LeakyRelu: return new LeakyRelu(provider, plan.Name, plan.Input, plan.Ratio);
            case LayerTypes.Dropout: return new Dropout(provider, plan.Name, plan.Input, plan.Ratio);
            case LayerTypes.BatchNorm: return new BatchNormalization(provider, plan.Name, plan.Input, plan.Spec.PerActivation ?? false);
            case LayerTypes.MaxPool: return new MaxPooling(provider, plan.Name, plan.Input, plan.Kernel, plan.Stride, plan.Pad);
            case LayerTypes.AvgPool: return new AveragePooling(provider, plan.Name, plan.Input, plan.Kernel, plan.Stride, plan.Pad);
            case LayerTypes.GlobalAvgPool: return new GlobalAveragePooling(provider, plan.Name, plan.Input);
            case LayerTypes.Flatten: return new Flatten(provider, plan.Name, plan.Input);
            case LayerTypes.Residual:
            {
                var body = CreateAll(plan.Body, provider);
                return Adopt(body, () => Adopt(CreateAll(plan.Shortcut, provider), shortcut => new Residual(plan.Name, body, shortcut)));
            }
            case LayerTypes.Sequential:
            {
                var layers = CreateAll(plan.Body, provider);
                return Adopt(layers, () => new Sequential(plan.Name, layers));
            }
        }
        if (plan.Custom is { } custom) return CreateCustom(plan, custom, provider);
        throw new InvalidModelException($"Layer '{plan.Name}': unknown type '{plan.Type}'. Valid types: {string.Join(", ", LayerTypes.All)}.");
    }

    /// <summary>Creates every plan's layer; on failure disposes those already made.</summary>
    public static Layer[] CreateAll(IReadOnlyList<LayerPlan> plans, IComputeProvider provider)
    {
        var layers = new List<Layer>(plans.Count);
        try
        {
            foreach (var plan in plans) layers.Add(Create(plan, provider));
            return [.. layers];
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }
    }

    private static Layer CreateCustom(LayerPlan plan, LayerRegistry.Registration custom, IComputeProvider provider)
    {
        var layer = custom.Create(new LayerBuildContext(provider, plan.Name, plan.Input, plan.Spec))
            ?? throw new InvalidModelException($"Layer '{plan.Name}': the factory registered for '{custom.Type}' returned null.");
        string? problem =
            !ReferenceEquals(layer.Provider, provider) ? $"it was built on provider '{layer.Provider.Name}' instead of '{provider.Name}'"
            : layer.Name != plan.Name ? $"it is named '{layer.Name}' instead of '{plan.Name}'"
            : layer.InputShape != plan.Input ? $"it takes {layer.InputShape} instead of {plan.Input}"
            : layer.OutputShape != plan.Output ? $"it produces {layer.OutputShape} but its registration's shape rule says {plan.Output} (pass outputShape to Register)"
            : null;
        if (problem is null) return layer;
        layer.Dispose();
        throw new InvalidModelException($"Layer '{plan.Name}' ({custom.Type}): {problem}.");
    }

    /// <summary>Runs <paramref name="make"/>, which takes ownership of <paramref name="inner"/>; disposes them when it fails.</summary>
    private static Layer Adopt(Layer[] inner, Func<Layer> make)
    {
        try { return make(); }
        catch
        {
            foreach (var layer in inner) layer.Dispose();
            throw;
        }
    }

    private static Layer Adopt(Layer[] inner, Func<Layer[], Layer> make) => Adopt(inner, () => make(inner));
}
