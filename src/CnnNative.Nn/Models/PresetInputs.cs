namespace CnnNative.Nn;

/// <summary>
/// The input a preset was designed for, when it is not the 28×28 gray images of Fashion-MNIST:
/// VGG16 takes 224×224 RGB (seed 002) and 1,000 ImageNet classes. Benchmarks and examples use
/// it to feed such a model data of its own shape.
/// </summary>
public static class PresetInputs
{
    /// <summary>The sample shape and class count <paramref name="preset"/> was designed for, or null for the 28×28 presets.</summary>
    public static (Core.TensorShape Input, int Classes)? DesignedFor(string? preset) =>
        string.Equals(preset, ModelPresets.Vgg16, StringComparison.OrdinalIgnoreCase)
            ? (new Core.TensorShape(3, 224, 224), ModelPresets.Vgg16Classes)
            : null;
}
