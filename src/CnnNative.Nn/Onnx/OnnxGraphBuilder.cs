using CnnNative.Core;

namespace CnnNative.Nn.Onnx;

/// <summary>A tensor flowing through the graph being built: its ONNX name and the shape of one sample (the batch is in front).</summary>
internal readonly record struct OnnxValue(string Name, TensorShape Sample);

/// <summary>
/// Collects the nodes and constants of an ONNX graph in topological order (a network's layers
/// are appended in the order they run), giving every value a unique name derived from the
/// layer that made it ("conv1", "affine1.W", "affine1/flatten").
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxInitializer> _initializers = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(IEnumerable<string> reservedNames)
    {
        foreach (string name in reservedNames) _names.Add(name);
    }

    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>Appends <c>op(inputs)</c>; returns the name of its one output (also the node's name).</summary>
    public string Node(string opType, string name, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string output = Unique(name);
        _nodes.Add(new OnnxNode(opType, output, inputs, [output], attributes));
        return output;
    }

    /// <summary>Adds a float constant of shape <paramref name="dims"/> (empty for a scalar); returns its name.</summary>
    public string Constant(string name, ReadOnlySpan<int> dims, float[] values)
    {
        string unique = Unique(name);
        _initializers.Add(new OnnxInitializer(unique, ToLongs(dims), Floats: values));
        return unique;
    }

    /// <summary>Adds a 1-D int64 constant (a shape for Reshape); returns its name.</summary>
    public string Int64Constant(string name, long[] values)
    {
        string unique = Unique(name);
        _initializers.Add(new OnnxInitializer(unique, [values.Length], Int64s: values));
        return unique;
    }

    /// <summary>
    /// Gives the value <paramref name="from"/> the graph-output name <paramref name="to"/>:
    /// renames the output of the node that makes it, or adds an Identity when it is the graph input itself.
    /// </summary>
    public void NameOutput(string from, string to)
    {
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.Outputs[0] != from) continue;
            _nodes[i] = node with { Outputs = [to] };
            for (int j = i + 1; j < _nodes.Count; j++)
                _nodes[j] = _nodes[j] with { Inputs = [.. _nodes[j].Inputs.Select(n => n == from ? to : n)] };
            return;
        }
        _nodes.Add(new OnnxNode("Identity", Unique(to + "/identity"), [from], [to], []));
    }

    private string Unique(string name)
    {
        if (_names.Add(name)) return name;
        for (int i = 2; ; i++)
            if (_names.Add($"{name}_{i}")) return $"{name}_{i}";
    }

    private static long[] ToLongs(ReadOnlySpan<int> dims)
    {
        var result = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++) result[i] = dims[i];
        return result;
    }
}
