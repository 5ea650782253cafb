using System.Text.Json;
using CnnNative.Core;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Measured GEMM blockings, one per device and driver, in a small JSON file
/// (<c>{ "key": "TM=64,TN=64,…" }</c>) so a device is tuned once, not in every process.
/// Default place: <c>$XDG_CACHE_HOME/cnnnative/opencl-gemm-tiles.json</c>, else
/// <c>~/.cache/cnnnative/…</c>; <c>Compute:OpenCl:TuningCache</c> names another file.
/// Written atomically; an unreadable or corrupt file is treated as empty (and rewritten).
/// </summary>
internal sealed class TuningCache(string path)
{
    public string Path => path;

    public static string DefaultPath()
    {
        string? root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(root))
            root = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Combine(root, "cnnnative", "opencl-gemm-tiles.json");
    }

    public string? Get(string key) => Read().GetValueOrDefault(key);

    public void Set(string key, string value)
    {
        var entries = Read();
        entries[key] = value;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            foreach (var (k, v) in entries.OrderBy(e => e.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        });
    }

    private Dictionary<string, string> Read()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists(path)) return entries;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return entries;
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) entries[p.Name] = p.Value.GetString()!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { }
        return entries;
    }
}
