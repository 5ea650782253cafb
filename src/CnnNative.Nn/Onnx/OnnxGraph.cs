namespace CnnNative.Nn.Onnx;

/// <summary>One attribute of an ONNX node: an int, a float or a list of ints (all an exported CNN needs).</summary>
internal sealed record OnnxAttribute(string Name, int Type, long Int = 0, float Float = 0f, long[]? Ints = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, OnnxFields.Attribute.TypeInt, Int: value);

    public static OnnxAttribute Of(string name, float value) => new(name, OnnxFields.Attribute.TypeFloat, Float: value);

    public static OnnxAttribute Of(string name, long[] values) => new(name, OnnxFields.Attribute.TypeInts, Ints: values);
}

/// <summary>One operator application: <c>Outputs = OpType(Inputs; Attributes)</c>.</summary>
internal sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>A constant tensor stored in the model (weights, running statistics, shapes): floats or int64s.</summary>
internal sealed record OnnxInitializer(string Name, long[] Dims, float[]? Floats = null, long[]? Int64s = null);

/// <summary>One dimension of a graph input or output: a fixed size, or a named free one ("batch").</summary>
internal readonly record struct OnnxDim(long Value, string? Param = null)
{
    public static OnnxDim Free(string name) => new(0, name);
}

/// <summary>A named float tensor the graph takes or gives, with its shape.</summary>
internal sealed record OnnxValueInfo(string Name, IReadOnlyList<OnnxDim> Dims);

/// <summary>Everything the ONNX <c>ModelProto</c> of an exported network holds.</summary>
internal sealed record OnnxModel(
    long IrVersion,
    int Opset,
    string GraphName,
    string DocString,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<OnnxInitializer> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);
