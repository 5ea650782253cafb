using System.Globalization;

namespace CnnNative.Nn;

/// <summary>
/// A conservative estimate of the memory a model needs at a batch size, checked before the
/// first batch is allocated: <see cref="ModelLimits"/> bounds each tensor, but a model within
/// every limit can still need tens of gigabytes at its batch size (a 16-filter convolution
/// padded by 1000 on an 8×8 image holds 64 million values per sample), which would end in an
/// out-of-memory abort rather than a message. The limit follows the machine: a share of the
/// memory available when the check runs (<see cref="AutomaticLimit"/>), unless a caller gives
/// one (the CLI's <c>Compute:MemoryLimitGiB</c>).
/// </summary>
public static class MemoryEstimate
{
    /// <summary>The share of the available memory a model may plan to use: the rest stays for the data set, the runtime and the rest of the machine.</summary>
    public const double AvailableShare = 0.8;

    /// <summary>The limit when the available memory cannot be read at all (no /proc/meminfo, no figure from the GC): 3 GiB.</summary>
    public const long FallbackBytes = 3L << 30;

    /// <summary>
    /// Bytes for training at <paramref name="batchSize"/>: every parameter four times (value,
    /// gradient, up to two optimizer moments) and every layer's output three times per sample
    /// (the output, its gradient, and the cache or workspace the layer keeps), in float32.
    /// </summary>
    public static long TrainingBytes(ModelSummary summary, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return sizeof(float) * (4 * summary.TotalParameters + 3 * ValuesPerSample(summary) * (long)Math.Max(1, batchSize));
    }

    /// <summary>
    /// Memory this process could use now: on Linux <c>MemAvailable</c> of /proc/meminfo (free
    /// memory plus what the kernel can reclaim), never more than what the GC reports as the
    /// machine's or container's total (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>);
    /// elsewhere that total; <see cref="FallbackBytes"/> when neither can be read.
    /// </summary>
    public static long AvailableBytes()
    {
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long available = MemAvailable();
        if (available > 0 && total > 0) return Math.Min(available, total);
        if (available > 0) return available;
        return total > 0 ? total : FallbackBytes;
    }

    /// <summary>The limit when no caller gives one: <see cref="AvailableShare"/> of <see cref="AvailableBytes"/>.</summary>
    public static long AutomaticLimit() => (long)(AvailableBytes() * AvailableShare);

    /// <summary>
    /// Throws <see cref="InvalidModelException"/> when <see cref="TrainingBytes"/> exceeds
    /// <paramref name="limitBytes"/>, or <see cref="AutomaticLimit"/> when that is null.
    /// </summary>
    public static void Check(ModelSummary summary, int batchSize, long? limitBytes = null)
    {
        long bytes = TrainingBytes(summary, batchSize);
        long limit = limitBytes ?? AutomaticLimit();
        if (bytes <= limit) return;
        string allowed = limitBytes is null
            ? string.Create(CultureInfo.InvariantCulture, $"the {Gib(limit)} allowed ({AvailableShare * 100:0} % of the {Gib(AvailableBytes())} this machine has available now)")
            : $"the memory limit of {Gib(limit)} given";
        throw new InvalidModelException(string.Create(CultureInfo.InvariantCulture,
            $"The model would need about {Gib(bytes)} of memory at batch size {batchSize} ({ValuesPerSample(summary):N0} activation values per sample, {summary.TotalParameters:N0} parameters), more than {allowed}. Use a smaller batch size or smaller layers (less padding, fewer filters or units), or set the limit (Compute:MemoryLimitGiB) if the machine has the memory."));
    }

    private static long ValuesPerSample(ModelSummary summary)
    {
        long perSample = summary.InputShape.Length;
        foreach (var layer in summary.Layers) perSample += layer.OutputShape.Length;
        return perSample;
    }

    /// <summary>MemAvailable of /proc/meminfo in bytes, or 0 where there is none (not Linux, unreadable, an old kernel).</summary>
    private static long MemAvailable()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                string[] parts = line["MemAvailable:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No figure: the GC's total applies.
        }
        return 0;
    }

    /// <summary>"3.2 GiB", or "12.5 MiB" below a gibibyte (a tiny limit must not read as 0.0 GiB).</summary>
    private static string Gib(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0##} MiB");
}
