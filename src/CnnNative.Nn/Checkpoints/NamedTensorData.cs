namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// One tensor of a checkpoint on the host: its name (as "conv1.weight"), its shape and its
/// float32 values, row-major. A rank-0 shape is a scalar (one value); a zero dimension makes
/// an empty tensor — both are legal in safetensors.
/// </summary>
internal sealed class NamedTensorData
{
    public NamedTensorData(string name, int[] shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Tensor '{name}': dimension {d} in [{string.Join(", ", shape)}] is negative.", nameof(shape));
            length *= d;
            if (length > Array.MaxLength)
                throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape)}] is too large for one array.", nameof(shape));
        }
        if (length != data.Length)
            throw new ArgumentException(
                $"Tensor '{name}': shape [{string.Join(", ", shape)}] has {length} elements but {data.Length} values were given.",
                nameof(data));
        Name = name;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public int[] Shape { get; }

    public float[] Data { get; }

    /// <summary>The shape as "[30, 1, 5, 5]", for messages.</summary>
    public string ShapeText => ShapeToText(Shape);

    internal static string ShapeToText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
