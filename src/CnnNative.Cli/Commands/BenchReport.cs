using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>Training and inference throughput of one model on one provider, and the arithmetic per image behind it.</summary>
internal sealed record BenchResult(
    string Model,
    string Provider,
    int Threads,
    long Parameters,
    int BatchSize,
    PhaseThroughput Training,
    PhaseThroughput Inference,
    BenchFlops FlopsPerImage)
{
    /// <summary>The process's peak working set after this model's phases (models run in order, so it includes earlier ones).</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>Effective training GFLOP/s at the median rate (<see cref="BenchFlops"/>).</summary>
    public double TrainingGflops => Training.Median * FlopsPerImage.Training / 1e9;

    public double InferenceGflops => Inference.Median * FlopsPerImage.Inference / 1e9;

    /// <summary>Training GFLOP per CPU-second of the process, for comparison with <see cref="BenchPeak.PerCpuSecond"/> on a loaded machine.</summary>
    public double TrainingGflopsPerCpuSecond => Training.ImagesPerCpuSecond * FlopsPerImage.Training / 1e9;
}

/// <summary>A provider that was asked for (or registered) but did not start, and why.</summary>
internal sealed record BenchSkipped(string Provider, string Reason);

/// <summary>Everything one `cnn bench` run reports: when, how, on what, and the results.</summary>
internal sealed record BenchReport(
    DateTimeOffset Date,
    string Command,
    BenchMachine Machine,
    BenchPeak Peak,
    BenchSettings Settings,
    IReadOnlyList<ProviderInfo> Providers,
    IReadOnlyList<BenchSkipped> Skipped,
    IReadOnlyList<BenchResult> Results);
