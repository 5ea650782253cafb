using System.Globalization;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands;

/// <summary>
/// What `cnn bench` measures and how long: models × providers, batch size, and the timing
/// plan (a warm-up, then <see cref="Windows"/> timed windows of <see cref="Seconds"/> each
/// for training and again for inference; the median window is the reported figure).
/// </summary>
internal sealed record BenchSettings
{
    public const int DefaultBatchSize = 100;
    public const int DefaultWindows = 5;
    public const double DefaultSeconds = 2.0;
    public const string DefaultOutput = "bench-results";
    public const double DefaultPeakSeconds = 0.5;

    /// <summary>The models measured when --models is not given: the two the throughput targets are set for.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } = [ModelPresets.SimpleConv, ModelPresets.VggSmall];

    /// <summary>Presets or JSON model files, in order.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Provider names to run; null means every registered provider that starts here.</summary>
    public IReadOnlyList<string>? Providers { get; init; }

    public int BatchSize { get; init; } = DefaultBatchSize;

    public int Windows { get; init; } = DefaultWindows;

    public double Seconds { get; init; } = DefaultSeconds;

    /// <summary>Untimed running before the windows (JIT tiers, OpenCL program builds, caches); at least two steps.</summary>
    public double WarmupSeconds { get; init; } = DefaultSeconds;

    public required string DataFolder { get; init; }

    public string Output { get; init; } = DefaultOutput;

    public ulong Seed { get; init; } = 1;

    /// <summary>Length of each FMA-peak probe (one core, then all), run before the workloads.</summary>
    public double PeakSeconds { get; init; } = DefaultPeakSeconds;

    /// <summary>Splits "simple-conv, vgg-small" (commas or spaces); "all" means every preset.</summary>
    public static IReadOnlyList<string> ParseModels(string? text)
    {
        var names = SplitList(text);
        if (names.Count == 0) return DefaultModels;
        if (names.Count == 1 && names[0].Equals("all", StringComparison.OrdinalIgnoreCase)) return ModelPresets.Names;
        return names;
    }

    /// <summary>Splits "managed,openblas"; empty means all available providers (null).</summary>
    public static IReadOnlyList<string>? ParseProviders(string? text)
    {
        var names = SplitList(text);
        return names.Count == 0 || (names.Count == 1 && names[0].Equals("all", StringComparison.OrdinalIgnoreCase))
            ? null
            : names.Select(n => n.ToLowerInvariant()).ToArray();
    }

    private static List<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>Throws a <see cref="CliException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (Models.Count == 0)
            throw new CliException("--models needs at least one model (a preset such as simple-conv, or a JSON model file).", ExitCodes.Usage);
        if (BatchSize is < 1 or > 4096)
            throw new CliException($"--batch-size must be between 1 and 4096, got {BatchSize}.", ExitCodes.Usage);
        if (Windows is < 1 or > 1000)
            throw new CliException($"--windows must be between 1 and 1000, got {Windows}.", ExitCodes.Usage);
        if (!(Seconds > 0 && Seconds <= 3600))
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--seconds must be more than 0 and at most 3600, got {Seconds}."), ExitCodes.Usage);
        if (!(WarmupSeconds >= 0 && WarmupSeconds <= 3600))
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--warmup must be between 0 and 3600 seconds, got {WarmupSeconds}."), ExitCodes.Usage);
        if (!(PeakSeconds > 0 && PeakSeconds <= 60))
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--peak-seconds must be more than 0 and at most 60, got {PeakSeconds}."), ExitCodes.Usage);
    }
}
