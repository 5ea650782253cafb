using System.Reflection;

namespace CnnNative.Nn.Onnx;

/// <summary>Turns an <see cref="OnnxModel"/> into the bytes of an ONNX <c>ModelProto</c>.</summary>
internal static class OnnxModelEncoder
{
    public const string ProducerName = "CnnNative";

    public static byte[] Encode(OnnxModel model)
    {
        var w = new ProtoWriter();
        w.Int64(OnnxFields.Model.IrVersion, model.IrVersion);
        w.String(OnnxFields.Model.ProducerName, ProducerName);
        w.String(OnnxFields.Model.ProducerVersion, ProducerVersion());
        w.String(OnnxFields.Model.Domain, "cnnnative");
        w.Int64(OnnxFields.Model.ModelVersion, 1);
        w.String(OnnxFields.Model.DocString, model.DocString);
        w.Message(OnnxFields.Model.Graph, g => Graph(g, model));
        // The default domain ("") is the standard ai.onnx operator set.
        w.Message(OnnxFields.Model.OpsetImport, o =>
        {
            o.String(OnnxFields.OperatorSetId.Domain, "");
            o.Int64(OnnxFields.OperatorSetId.Version, model.Opset);
        });
        foreach (var (key, value) in model.Metadata)
            w.Message(OnnxFields.Model.MetadataProps, e =>
            {
                e.String(OnnxFields.StringStringEntry.Key, key);
                e.String(OnnxFields.StringStringEntry.Value, value);
            });
        return w.Written.ToArray();
    }

    private static void Graph(ProtoWriter w, OnnxModel model)
    {
        foreach (var node in model.Nodes) w.Message(OnnxFields.Graph.Node, n => Node(n, node));
        w.String(OnnxFields.Graph.Name, model.GraphName);
        foreach (var init in model.Initializers) w.Message(OnnxFields.Graph.Initializer, t => Tensor(t, init));
        foreach (var input in model.Inputs) w.Message(OnnxFields.Graph.Input, v => ValueInfo(v, input));
        foreach (var output in model.Outputs) w.Message(OnnxFields.Graph.Output, v => ValueInfo(v, output));
    }

    private static void Node(ProtoWriter w, OnnxNode node)
    {
        foreach (string input in node.Inputs) w.String(OnnxFields.Node.Input, input);
        foreach (string output in node.Outputs) w.String(OnnxFields.Node.Output, output);
        w.String(OnnxFields.Node.Name, node.Name);
        w.String(OnnxFields.Node.OpType, node.OpType);
        foreach (var attribute in node.Attributes) w.Message(OnnxFields.Node.Attribute, a => Attribute(a, attribute));
    }

    private static void Attribute(ProtoWriter w, OnnxAttribute a)
    {
        w.String(OnnxFields.Attribute.Name, a.Name);
        w.Int64(OnnxFields.Attribute.Type, a.Type);
        switch (a.Type)
        {
            case OnnxFields.Attribute.TypeInt: w.Int64(OnnxFields.Attribute.I, a.Int); break;
            case OnnxFields.Attribute.TypeFloat: w.Float(OnnxFields.Attribute.F, a.Float); break;
            case OnnxFields.Attribute.TypeInts: w.PackedInt64(OnnxFields.Attribute.Ints, a.Ints!); break;
            default: throw new InvalidOperationException($"Attribute '{a.Name}' has an unsupported type {a.Type}.");
        }
    }

    private static void Tensor(ProtoWriter w, OnnxInitializer t)
    {
        w.PackedInt64(OnnxFields.Tensor.Dims, t.Dims);
        w.Int64(OnnxFields.Tensor.DataType, t.Floats is not null ? OnnxFields.Tensor.Float : OnnxFields.Tensor.Int64);
        w.String(OnnxFields.Tensor.Name, t.Name);
        if (t.Floats is not null) w.RawFloats(OnnxFields.Tensor.RawData, t.Floats);
        else w.PackedInt64(OnnxFields.Tensor.Int64Data, t.Int64s);
    }

    private static void ValueInfo(ProtoWriter w, OnnxValueInfo value)
    {
        w.String(OnnxFields.ValueInfo.Name, value.Name);
        w.Message(OnnxFields.ValueInfo.Type, type => type.Message(OnnxFields.Type.TensorType, tensor =>
        {
            tensor.Int64(OnnxFields.Type.TensorElemType, OnnxFields.Tensor.Float);
            tensor.Message(OnnxFields.Type.TensorShape, shape =>
            {
                foreach (var dim in value.Dims)
                    shape.Message(OnnxFields.Shape.Dim, d =>
                    {
                        if (dim.Param is not null) d.String(OnnxFields.Shape.DimParam, dim.Param);
                        else d.Int64(OnnxFields.Shape.DimValue, dim.Value);
                    });
            });
        }));
    }

    private static string ProducerVersion() =>
        typeof(OnnxModelEncoder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxModelEncoder).Assembly.GetName().Version?.ToString() ?? "0";
}
