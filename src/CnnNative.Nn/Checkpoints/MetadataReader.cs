using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CnnNative.Nn.Checkpoints;

/// <summary>
/// Reads typed values from a checkpoint's string metadata, turning every problem into one
/// <see cref="CheckpointException"/> sentence naming the file and the key. Shared by the
/// checkpoint's own keys and those the trainer adds.
/// </summary>
internal readonly struct MetadataReader(string path, IReadOnlyDictionary<string, string> metadata)
{
    /// <summary>The advice for a file whose metadata is malformed.</summary>
    public const string Corrupt = "The file is corrupt; use another checkpoint.";

    /// <summary>The JSON options of every JSON-valued key (camelCase, NaN allowed).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public bool Has(string key) => metadata.ContainsKey(key);

    public string Text(string key) =>
        metadata.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointException(path, $"its header has no '{key}' metadata, so it was not written by the CnnNative trainer.",
                "Pass a model.safetensors from a training run.");

    public int Int(string key) =>
        int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : throw Bad(key);

    public long Long(string key) =>
        long.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0 ? v : throw Bad(key);

    public ulong ULong(string key) =>
        ulong.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v) ? v : throw Bad(key);

    public float Float(string key) =>
        float.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v : throw Bad(key);

    public double Double(string key) =>
        double.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Bad(key);

    public T Json<T>(string key) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Text(key), JsonOptions) ?? throw Bad(key);
        }
        catch (JsonException)
        {
            throw Bad(key);
        }
    }

    public CheckpointException Bad(string key) =>
        new(path, $"its '{key}' metadata '{Shorten(metadata[key])}' is malformed.", Corrupt);

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
