using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>A layer spec checked against its input: canonical type, final name, resolved settings and shapes.</summary>
internal sealed record LayerPlan(int Index, string Name, string Type, LayerSpec Spec, TensorShape Input, TensorShape Output,
    long ParameterCount, WeightInit Init, Size2 Kernel, Size2 Stride, Size2 Pad, float Ratio);

/// <summary>
/// Walks a <see cref="ModelSpec"/> from the input shape to the class scores without a provider,
/// turning every mistake into one <see cref="InvalidModelException"/> that names the layer
/// (position, name and type) and says what to change.
/// </summary>
internal static class ModelPlanner
{
    public static IReadOnlyList<LayerPlan> Plan(ModelSpec spec, TensorShape input, int classes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckInput(spec, input, classes);
        var layers = spec.Layers;
        if (layers is null || layers.Count == 0)
            throw new InvalidModelException("The model has no layers; it needs at least one (for example an affine layer with one unit per class).");
        if (layers.Count > ModelLimits.MaxLayers)
            throw new InvalidModelException($"The model has {layers.Count} layers; at most {ModelLimits.MaxLayers} are supported.");

        var plans = new List<LayerPlan>(layers.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        long total = 0;
        var shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i] ?? throw new InvalidModelException($"Layer {i + 1} of the model is null.");
            if (string.IsNullOrWhiteSpace(layer.Type))
                throw new InvalidModelException(
                    $"Layer {i + 1}{NameSuffix(layer.Name)} has no \"type\". Valid types: {string.Join(", ", LayerTypes.All)}.");
            string type = LayerTypes.Canonical(layer.Type)
                ?? throw new InvalidModelException(
                    $"Layer {i + 1}{NameSuffix(layer.Name)}: unknown type '{layer.Type}'. Valid types: {string.Join(", ", LayerTypes.All)}.");
            counters[type] = counters.GetValueOrDefault(type) + 1;
            string name = layer.Name ?? type + counters[type];
            string where = $"Layer {i + 1} ('{name}', {type})";
            CheckName(name, where);
            if (!names.Add(name))
                throw new InvalidModelException($"{where}: the name '{name}' is used twice; layer names must be unique.");
            CheckSettings(layer, type, where);
            LayerPlan plan;
            try
            {
                plan = PlanLayer(i, name, type, layer, shape, spec.DefaultInit);
            }
            catch (InvalidModelException e)
            {
                throw new InvalidModelException($"{where}, input {shape}: {e.Message}");
            }
            if (plan.Output.Length > ModelLimits.MaxTensorElements)
                throw new InvalidModelException($"{where}: the output {plan.Output} holds more than {ModelLimits.MaxTensorElements} values per sample.");
            total += plan.ParameterCount;
            if (total > ModelLimits.MaxParameters)
                throw new InvalidModelException($"{where}: the model would have more than {ModelLimits.MaxParameters} parameters; make the layers smaller.");
            plans.Add(plan);
            shape = plan.Output;
        }

        if (shape.Length != classes)
        {
            var last = plans[^1];
            throw new InvalidModelException(
                $"The last layer '{last.Name}' ({last.Type}) produces {shape} = {shape.Length} values per sample, but there are {classes} classes; end the model with an affine layer of {classes} units.");
        }
        return plans;
    }

    private static void CheckInput(ModelSpec spec, TensorShape input, int classes)
    {
        if (input.Rank is not (1 or 3))
            throw new InvalidModelException($"The input shape must be [channels, height, width] or [features], got {input}.");
        if (input.Length > ModelLimits.MaxTensorElements)
            throw new InvalidModelException($"The input {input} holds more than {ModelLimits.MaxTensorElements} values per sample.");
        if (classes < 1 || classes > ModelLimits.MaxWidth)
            throw new InvalidModelException($"The class count must be between 1 and {ModelLimits.MaxWidth}, got {classes}.");
        if (spec.Input is not null && !spec.Input.AsSpan().SequenceEqual(input.Dimensions.AsSpan()))
            throw new InvalidModelException(
                $"The model was made for input [{string.Join(", ", spec.Input)}] but the data has [{string.Join(", ", input.Dimensions)}].");
        if (spec.Classes is int c && c != classes)
            throw new InvalidModelException($"The model was made for {c} classes but the data has {classes}.");
    }

    private static LayerPlan PlanLayer(int index, string name, string type, LayerSpec s, TensorShape input, WeightInit defaultInit)
    {
        WeightInit init = s.Init ?? defaultInit;
        Size2 none = default;
        switch (type)
        {
            case LayerTypes.Conv:
            {
                int filters = s.Filters ?? throw Missing("filters", "the number of output channels, e.g. \"filters\": 16");
                Size2 kernel = s.Kernel ?? throw Missing("kernel", "the kernel size, e.g. \"kernel\": 3 or [3, 5]");
                Size2 stride = s.Stride ?? 1, pad = s.Pad ?? 0;
                var output = Convolution.OutputShapeFor(input, filters, kernel, stride, pad);
                long count = (long)filters * input[0] * kernel.Height * kernel.Width + filters;
                return new LayerPlan(index, name, type, s, input, output, count, init, kernel, stride, pad, 0);
            }
            case LayerTypes.Affine:
            {
                int units = s.Units ?? throw Missing("units", "the number of outputs, e.g. \"units\": 100");
                var output = Affine.OutputShapeFor(input, units);
                return new LayerPlan(index, name, type, s, input, output, (long)input.Length * units + units, init, none, none, none, 0);
            }
            case LayerTypes.MaxPool:
            case LayerTypes.AvgPool:
            {
                Size2 size = s.Size ?? throw Missing("size", "the window size, e.g. \"size\": 2");
                Size2 stride = s.Stride ?? size, pad = s.Pad ?? 0;
                var output = Pooling.OutputShapeFor(input, size, stride, pad);
                return new LayerPlan(index, name, type, s, input, output, 0, init, size, stride, pad, 0);
            }
            case LayerTypes.Dropout:
            {
                float ratio = s.Ratio ?? 0.5f;
                Dropout.CheckRatio(ratio);
                return new LayerPlan(index, name, type, s, input, input, 0, init, none, none, none, ratio);
            }
            case LayerTypes.BatchNorm:
            {
                var (channels, _) = BatchNormalization.GroupsFor(input, s.PerActivation ?? false);
                return new LayerPlan(index, name, type, s, input, input, 2L * channels, init, none, none, none, 0);
            }
            case LayerTypes.GlobalAvgPool:
                return new LayerPlan(index, name, type, s, input, GlobalAveragePooling.OutputShapeFor(input), 0, init, none, none, none, 0);
            case LayerTypes.Flatten:
                return new LayerPlan(index, name, type, s, input, new TensorShape(input.Length), 0, init, none, none, none, 0);
            default: // relu, sigmoid
                return new LayerPlan(index, name, type, s, input, input, 0, init, none, none, none, 0);
        }
    }

    private static InvalidModelException Missing(string setting, string hint) =>
        new($"the setting \"{setting}\" is required ({hint}).");

    private static void CheckSettings(LayerSpec layer, string type, string where)
    {
        var allowed = LayerTypes.SettingsOf(type);
        foreach (string setting in layer.PresentSettings())
            if (!allowed.Contains(setting))
                throw new InvalidModelException(
                    $"{where} does not take \"{setting}\"; {(allowed.Count == 0 ? "it takes no settings besides \"name\"" : "its settings are: " + string.Join(", ", allowed))}.");
    }

    private static void CheckName(string name, string where)
    {
        if (name.Length == 0 || name.Length > 64)
            throw new InvalidModelException($"{where}: a layer name must have 1 to 64 characters.");
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new InvalidModelException(
                    $"{where}: the name '{name}' may only use letters, digits, '_' and '-' (it prefixes parameter names such as '{name}.W').");
    }

    private static string NameSuffix(string? name) => name is null ? "" : $" ('{name}')";
}
