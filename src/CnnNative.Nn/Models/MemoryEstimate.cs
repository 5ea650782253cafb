namespace CnnNative.Nn;

/// <summary>
/// A conservative estimate of the memory a model needs at a batch size, checked before the
/// first batch is allocated: <see cref="ModelLimits"/> bounds each tensor, but a model within
/// every limit can still need tens of gigabytes at its batch size (a 16-filter convolution
/// padded by 1000 on an 8×8 image holds 64 million values per sample), which would end in an
/// out-of-memory abort rather than a message.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>Largest estimate accepted: 3 GiB.</summary>
    public const long MaxBytes = 3L << 30;

    /// <summary>
    /// Bytes for training at <paramref name="batchSize"/>: every parameter four times (value,
    /// gradient, up to two optimizer moments) and every layer's output three times per sample
    /// (the output, its gradient, and the cache or workspace the layer keeps), in float32.
    /// </summary>
    public static long TrainingBytes(ModelSummary summary, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(summary);
        long perSample = summary.InputShape.Length;
        foreach (var layer in summary.Layers) perSample += layer.OutputShape.Length;
        return sizeof(float) * (4 * summary.TotalParameters + 3 * perSample * (long)Math.Max(1, batchSize));
    }

    /// <summary>Throws <see cref="InvalidModelException"/> when <see cref="TrainingBytes"/> exceeds <see cref="MaxBytes"/>.</summary>
    public static void Check(ModelSummary summary, int batchSize)
    {
        long bytes = TrainingBytes(summary, batchSize);
        if (bytes <= MaxBytes) return;
        long perSample = summary.InputShape.Length;
        foreach (var layer in summary.Layers) perSample += layer.OutputShape.Length;
        throw new InvalidModelException(
            $"The model would need about {Gib(bytes)} of memory at batch size {batchSize} ({perSample:N0} activation values per sample, {summary.TotalParameters:N0} parameters), more than the {Gib(MaxBytes)} allowed. Use a smaller batch size or smaller layers (less padding, fewer filters or units).");
    }

    private static string Gib(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB");
}
