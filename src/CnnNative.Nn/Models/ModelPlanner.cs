using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>A layer spec checked against its input: canonical type, final name, resolved settings and shapes (Ratio: dropout's ratio or leaky ReLU's slope); containers carry their inner plans.</summary>
internal sealed record LayerPlan(int Index, string Name, string Type, LayerSpec Spec, TensorShape Input, TensorShape Output,
    long ParameterCount, WeightInit Init, Size2 Kernel, Size2 Stride, Size2 Pad, float Ratio)
{
    /// <summary>residual: the body; sequential: its layers.</summary>
    public IReadOnlyList<LayerPlan> Body { get; init; } = [];

    /// <summary>residual: the projection (empty for the identity).</summary>
    public IReadOnlyList<LayerPlan> Shortcut { get; init; } = [];

    /// <summary>A type registered in code.</summary>
    public LayerRegistry.Registration? Custom { get; init; }
}

/// <summary>
/// Walks a <see cref="ModelSpec"/> from the input shape to the class scores without a provider,
/// turning every mistake into one <see cref="InvalidModelException"/> that names the layer
/// (position, name and type, and the blocks around it) and says what to change.
/// </summary>
internal static class ModelPlanner
{
    /// <summary>Layer names and running numbers are per block: "block1.conv1" and "block2.conv1" do not collide.</summary>
    private sealed class Scope
    {
        public readonly HashSet<string> Names = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> Counters = new(StringComparer.Ordinal);
    }

    private sealed class Walk(WeightInit defaultInit, LayerRegistry registry)
    {
        public WeightInit DefaultInit { get; } = defaultInit;
        public LayerRegistry Registry { get; } = registry;
        public int Layers;
        public long Parameters;
    }

    public static IReadOnlyList<LayerPlan> Plan(ModelSpec spec, TensorShape input, int classes, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckInput(spec, input, classes);
        var layers = spec.Layers;
        if (layers is null || layers.Count == 0)
            throw new InvalidModelException("The model has no layers; it needs at least one (for example an affine layer with one unit per class).");
        spec.Loss?.Validate();
        var walk = new Walk(spec.DefaultInit, registry ?? LayerRegistry.Default);
        var plans = PlanSequence(layers, input, "", new Scope(), walk);
        var shape = plans[^1].Output;
        if (shape.Length != classes)
        {
            var last = plans[^1];
            throw new InvalidModelException(
                $"The last layer '{last.Name}' ({last.Type}) produces {shape} = {shape.Length} values per sample, but there are {classes} classes; end the model with an affine layer of {classes} units.");
        }
        return plans;
    }

    private static List<LayerPlan> PlanSequence(IReadOnlyList<LayerSpec> layers, TensorShape input, string prefix, Scope scope, Walk walk)
    {
        var plans = new List<LayerPlan>(layers.Count);
        var shape = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i] ?? throw new InvalidModelException($"{prefix}Layer {i + 1} of the model is null.");
            if (++walk.Layers > ModelLimits.MaxLayers)
                throw new InvalidModelException($"The model has more than {ModelLimits.MaxLayers} layers; at most {ModelLimits.MaxLayers} are supported.");
            var custom = layer.Type is null ? null : walk.Registry.Find(layer.Type);
            string validTypes = string.Join(", ", LayerTypes.All.Concat(walk.Registry.Names));
            if (string.IsNullOrWhiteSpace(layer.Type))
                throw new InvalidModelException($"{prefix}Layer {i + 1}{NameSuffix(layer.Name)} has no \"type\". Valid types: {validTypes}.");
            string type = LayerTypes.Canonical(layer.Type) ?? custom?.Type
                ?? throw new InvalidModelException($"{prefix}Layer {i + 1}{NameSuffix(layer.Name)}: unknown type '{layer.Type}'. Valid types: {validTypes}.");
            scope.Counters[type] = scope.Counters.GetValueOrDefault(type) + 1;
            string name = layer.Name ?? type + scope.Counters[type];
            string where = $"{prefix}Layer {i + 1} ('{name}', {type})";
            CheckName(name, where);
            if (!scope.Names.Add(name))
                throw new InvalidModelException($"{where}: the name '{name}' is used twice; layer names must be unique within a block.");
            CheckSettings(layer, custom?.Settings ?? LayerTypes.SettingsOf(type), where);
            var plan = type switch
            {
                LayerTypes.Residual => PlanResidual(i, name, layer, shape, where, walk),
                LayerTypes.Sequential => PlanGroup(i, name, layer, shape, where, walk),
                _ => PlanLeaf(i, name, type, layer, shape, where, walk, custom),
            };
            if (plan.Output.Length > ModelLimits.MaxTensorElements)
                throw new InvalidModelException($"{where}: the output {plan.Output} holds more than {ModelLimits.MaxTensorElements} values per sample.");
            plans.Add(plan);
            shape = plan.Output;
        }
        return plans;
    }

    private static LayerPlan PlanLeaf(int index, string name, string type, LayerSpec s, TensorShape input, string where, Walk walk,
        LayerRegistry.Registration? custom)
    {
        LayerPlan plan;
        try
        {
            plan = custom is null ? PlanBuiltIn(index, name, type, s, input, walk.DefaultInit) : PlanCustom(index, name, custom, s, input, walk.DefaultInit);
        }
        catch (InvalidModelException e)
        {
            throw new InvalidModelException($"{where}, input {input}: {e.Message}");
        }
        walk.Parameters += plan.ParameterCount;
        if (walk.Parameters > ModelLimits.MaxParameters)
            throw new InvalidModelException($"{where}: the model would have more than {ModelLimits.MaxParameters} parameters; make the layers smaller.");
        return plan;
    }

    private static LayerPlan PlanResidual(int index, string name, LayerSpec s, TensorShape input, string where, Walk walk)
    {
        if (s.Body is null || s.Body.Count == 0)
            throw new InvalidModelException($"{where}: a residual block needs a \"body\" list with at least one layer.");
        var scope = new Scope();
        var body = PlanSequence(s.Body, input, where + " › body: ", scope, walk);
        var shortcut = s.Shortcut is null ? [] : PlanSequence(s.Shortcut, input, where + " › shortcut: ", scope, walk);
        var output = body[^1].Output;
        if (shortcut.Count == 0 && output != input)
            throw new InvalidModelException(
                $"{where}: the body turns {input} into {output}, so the identity shortcut cannot be added; give the block a \"shortcut\" (for example a 1×1 conv with the body's stride and filters) that produces {output}.");
        if (shortcut.Count > 0 && shortcut[^1].Output != output)
            throw new InvalidModelException(
                $"{where}: the body produces {output} but the shortcut produces {shortcut[^1].Output}; both paths must give the same shape to be added.");
        long count = body.Sum(p => p.ParameterCount) + shortcut.Sum(p => p.ParameterCount);
        return new LayerPlan(index, name, LayerTypes.Residual, s, input, output, count, walk.DefaultInit, default, default, default, 0)
        {
            Body = body,
            Shortcut = shortcut,
        };
    }

    private static LayerPlan PlanGroup(int index, string name, LayerSpec s, TensorShape input, string where, Walk walk)
    {
        if (s.Layers is null || s.Layers.Count == 0)
            throw new InvalidModelException($"{where}: a sequential group needs a \"layers\" list with at least one layer.");
        var layers = PlanSequence(s.Layers, input, where + " › ", new Scope(), walk);
        return new LayerPlan(index, name, LayerTypes.Sequential, s, input, layers[^1].Output, layers.Sum(p => p.ParameterCount),
            walk.DefaultInit, default, default, default, 0) { Body = layers };
    }

    private static LayerPlan PlanCustom(int index, string name, LayerRegistry.Registration custom, LayerSpec s, TensorShape input, WeightInit defaultInit)
    {
        TensorShape output;
        long count;
        try
        {
            output = custom.OutputShape(input, s);
            count = custom.ParameterCount(input, s);
        }
        catch (Exception e) when (e is not InvalidModelException)
        {
            throw new InvalidModelException($"the '{custom.Type}' layer's shape rule failed: {e.Message}");
        }
        if (output.Rank == 0) throw new InvalidModelException($"the '{custom.Type}' layer's shape rule gave an empty shape.");
        return new LayerPlan(index, name, custom.Type, s, input, output, count, s.Init ?? defaultInit, default, default, default, 0) { Custom = custom };
    }

    private static LayerPlan PlanBuiltIn(int index, string name, string type, LayerSpec s, TensorShape input, WeightInit defaultInit)
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
            case LayerTypes.LeakyRelu:
            {
                float slope = s.Slope ?? LeakyRelu.DefaultSlope;
                LeakyRelu.CheckSlope(slope);
                return new LayerPlan(index, name, type, s, input, input, 0, init, none, none, none, slope);
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
            default: // relu, sigmoid, tanh
                return new LayerPlan(index, name, type, s, input, input, 0, init, none, none, none, 0);
        }
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

    private static InvalidModelException Missing(string setting, string hint) =>
        new($"the setting \"{setting}\" is required ({hint}).");

    private static void CheckSettings(LayerSpec layer, IReadOnlyList<string> allowed, string where)
    {
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
