using System.Text.Json;

namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// Parses and checks a safetensors JSON header against the length of the data that follows
/// it: every entry has dtype F32, a shape of non-negative integers and offsets whose span is
/// exactly the shape's byte size; together the entries cover the data section from 0 to its
/// end with no gap and no overlap (what the safetensors reference implementation requires).
/// </summary>
internal static class SafeTensorsHeaderParser
{
    private const string Rewrite = "The file is corrupt; use another checkpoint or train again.";

    public static SafeTensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long dataStart, long fileLength)
    {
        long dataLength = fileLength - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, $"the header is a JSON {root.ValueKind}, not an object.");

            var entries = new List<SafeTensorsEntry>();
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (JsonProperty property in root.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                        throw Corrupt(path, $"the header names '{property.Name}' twice.");
                    if (property.Name == SafeTensorsFile.MetadataKey)
                        metadata = ParseMetadata(path, property.Value);
                    else
                        entries.Add(ParseEntry(path, property.Name, property.Value));
                }
            }
            catch (InvalidOperationException e)
            {
                // JsonDocument checks the structure but decodes names and strings on demand;
                // bytes that are not UTF-8 surface only then, as InvalidOperationException.
                throw Corrupt(path, "the header holds a name or text that is not valid UTF-8.", e);
            }

            CheckLayout(path, entries, dataLength);
            entries.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            return new SafeTensorsHeader(path, entries, metadata, dataStart, fileLength);
        }
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Corrupt(path, $"'{SafeTensorsFile.MetadataKey}' is a JSON {value.ValueKind}, not an object of strings.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Corrupt(path, $"metadata '{item.Name}' is a JSON {item.Value.ValueKind}; safetensors metadata values are strings.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Corrupt(path, $"metadata '{item.Name}' appears twice.");
        }
        return metadata;
    }

    private static SafeTensorsEntry ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Corrupt(path, $"tensor '{name}' is described by a JSON {value.ValueKind}, not an object.");

        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Corrupt(path, $"tensor '{name}' has no \"dtype\" string.");
        string dtype = dtypeElement.GetString()!;
        if (dtype != SafeTensorsFile.Float32)
            throw new CheckpointException(path, $"tensor '{name}' has dtype {dtype}; only F32 tensors are supported.",
                "Convert the checkpoint to float32 (F32).");

        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Corrupt(path, $"tensor '{name}' has no \"shape\" array.");
        var shape = new int[shapeElement.GetArrayLength()];
        int axis = 0;
        foreach (JsonElement d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                throw Corrupt(path, $"tensor '{name}' has shape entry {d.GetRawText()}, not a non-negative 32-bit integer.");
            shape[axis++] = dim;
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
            throw Corrupt(path, $"tensor '{name}' has no \"data_offsets\" pair [begin, end].");
        if (offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw Corrupt(path, $"tensor '{name}' has data_offsets {offsets.GetRawText()}; they must be integers with 0 ≤ begin ≤ end.");

        var entry = new SafeTensorsEntry(name, dtype, shape, begin, end);
        long elements = 1;
        foreach (int d in shape)
        {
            elements *= d;
            if (elements > Array.MaxLength)
                throw Corrupt(path, $"tensor '{name}' has shape {entry.ShapeText}, too large for one array.");
        }
        if (elements * sizeof(float) != end - begin)
            throw Corrupt(path,
                $"tensor '{name}' has shape {entry.ShapeText} ({elements} F32 values, {elements * sizeof(float)} bytes) but its data_offsets [{begin}, {end}] span {end - begin} bytes.");
        return entry;
    }

    /// <summary>All offsets inside the data, and the data fully covered without gaps or overlaps.</summary>
    private static void CheckLayout(string path, List<SafeTensorsEntry> entries, long dataLength)
    {
        foreach (var entry in entries)
            if (entry.End > dataLength)
                throw new CheckpointException(path,
                    $"the file is truncated: tensor '{entry.Name}' ends at byte {entry.End} of the data section, but only {dataLength} data bytes follow the header.",
                    "The file was cut short; use another checkpoint or train again.");

        var ordered = new List<SafeTensorsEntry>(entries);
        ordered.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        SafeTensorsEntry? previous = null;
        foreach (var entry in ordered)
        {
            if (entry.Begin < expected)
                throw Corrupt(path, $"tensors '{previous!.Name}' and '{entry.Name}' overlap (bytes {entry.Begin}..{expected}).");
            if (entry.Begin > expected)
                throw Corrupt(path, $"there is a gap of {entry.Begin - expected} bytes before tensor '{entry.Name}'; the data must be contiguous.");
            expected = entry.End;
            previous = entry;
        }
        if (expected != dataLength)
            throw Corrupt(path, $"the tensors cover {expected} bytes but {dataLength} data bytes follow the header ({dataLength - expected} extra).");
    }

    private static CheckpointException Corrupt(string path, string problem, Exception? inner = null) =>
        new(path, problem, Rewrite, inner);
}
