namespace CnnNative.Core;

/// <summary>What a provider runs on, for `cnn providers`, benchmark reports and run.json.</summary>
/// <param name="Name">Provider name ("managed", "openblas", "opencl").</param>
/// <param name="Device">The device computing (CPU model, OpenCL device name).</param>
/// <param name="Threads">Worker threads the provider uses.</param>
/// <param name="Details">Further facts: SIMD width, library version and path, core name…</param>
public sealed record ProviderInfo(string Name, string Device, int Threads, IReadOnlyDictionary<string, string> Details)
{
    /// <summary>One line: name, device, threads and the details as "key: value" pairs.</summary>
    public override string ToString() =>
        $"{Name} on {Device}, {Plural.Of(Threads, "thread")}" +
        (Details.Count == 0 ? "" : "; " + string.Join("; ", Details.Select(kv => $"{kv.Key}: {kv.Value}")));
}
