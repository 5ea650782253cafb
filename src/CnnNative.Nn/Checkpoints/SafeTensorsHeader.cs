namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// One tensor as the header describes it: name, dtype, shape and its byte range
/// [<paramref name="Begin"/>, <paramref name="End"/>) inside the data section.
/// </summary>
internal sealed record SafeTensorsEntry(string Name, string DType, int[] Shape, long Begin, long End)
{
    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    public string ShapeText => NamedTensorData.ShapeToText(Shape);
}

/// <summary>
/// A validated safetensors header: the tensors (in data order), the string metadata, and where
/// the data section starts. Having one means the offsets, dtypes and shapes were checked
/// against the file's length, so reading the data cannot run past the end.
/// </summary>
internal sealed record SafeTensorsHeader(
    string Path,
    IReadOnlyList<SafeTensorsEntry> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    long DataStart,
    long FileLength)
{
    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public SafeTensorsEntry? Find(string name)
    {
        foreach (var entry in Tensors)
            if (entry.Name == name) return entry;
        return null;
    }
}

/// <summary>The whole contents of a safetensors file: tensors in data order and metadata.</summary>
internal sealed record SafeTensorsContent(
    IReadOnlyList<NamedTensorData> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public NamedTensorData? Find(string name)
    {
        foreach (var tensor in Tensors)
            if (tensor.Name == name) return tensor;
        return null;
    }
}
