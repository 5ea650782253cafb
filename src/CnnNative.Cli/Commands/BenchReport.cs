using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>Training and inference throughput of one model on one provider.</summary>
public sealed record BenchResult(
    string Model,
    string Provider,
    long Parameters,
    int BatchSize,
    PhaseThroughput Training,
    PhaseThroughput Inference);

/// <summary>A provider that was asked for (or registered) but did not start, and why.</summary>
public sealed record BenchSkipped(string Provider, string Reason);

/// <summary>Everything one `cnn bench` run reports: when, how, on what, and the results.</summary>
public sealed record BenchReport(
    DateTimeOffset Date,
    string Command,
    BenchMachine Machine,
    BenchSettings Settings,
    IReadOnlyList<ProviderInfo> Providers,
    IReadOnlyList<BenchSkipped> Skipped,
    IReadOnlyList<BenchResult> Results);
