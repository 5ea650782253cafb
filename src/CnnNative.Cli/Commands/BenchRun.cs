using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Cli.Commands;

/// <summary>
/// The measuring loop of `cnn bench`: which providers run, and for each provider (started
/// once, disposed after its models) every model's training and inference phases. A provider
/// that was asked for by name must start; with no list, a provider that cannot start on this
/// machine is skipped and its reason reported.
/// </summary>
internal sealed class BenchRun(
    ProviderRegistry registry, IConfiguration computeSection, BenchSettings settings, BenchOutput output, CancellationToken cancellationToken)
{
    private readonly List<string> _started = [];

    /// <summary>Starts each provider once to learn what it runs on; returns their infos and the ones skipped.</summary>
    public (IReadOnlyList<ProviderInfo> Infos, IReadOnlyList<BenchSkipped> Skipped) StartProviders()
    {
        bool named = settings.Providers is not null;
        var names = settings.Providers ?? registry.Names;
        var infos = new List<ProviderInfo>();
        var skipped = new List<BenchSkipped>();
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var factory = registry.Get(name); // unknown name: UnknownProviderException listing the valid ones
            try
            {
                using var provider = factory.Create(ProviderRegistry.SectionFor(computeSection, factory.Name));
                infos.Add(provider.Info);
                _started.Add(factory.Name);
            }
            catch (ProviderUnavailableException e) when (!named)
            {
                skipped.Add(new BenchSkipped(factory.Name, e.Message));
                output.Skipped(factory.Name, e.Message);
            }
            catch (Exception e) when (!named && e is not OperationCanceledException)
            {
                // A provider that fails unexpectedly is a bug to report, but it should not hide the others' figures.
                string reason = $"Provider '{factory.Name}' failed to start: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
                skipped.Add(new BenchSkipped(factory.Name, reason));
                output.Skipped(factory.Name, reason);
            }
        }
        if (_started.Count == 0)
            throw new CliException("No provider could start, so there is nothing to measure; run `cnn providers` to see why.");
        return (infos, skipped);
    }

    /// <summary>Measures every model on every started provider; results ordered by model, then provider.</summary>
    public IReadOnlyList<BenchResult> MeasureAll(IReadOnlyList<ModelSpec> specs, DataSplits splits)
    {
        var results = new List<(int Model, int Provider, BenchResult Result)>();
        for (int p = 0; p < _started.Count; p++)
        {
            string name = _started[p];
            using var provider = registry.Get(name).Create(ProviderRegistry.SectionFor(computeSection, name));
            for (int m = 0; m < specs.Count; m++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = Measure(specs[m], splits, provider, name);
                output.Result(result);
                results.Add((m, p, result));
            }
        }
        return results.OrderBy(r => r.Model).ThenBy(r => r.Provider).Select(r => r.Result).ToList();
    }

    /// <param name="name">The name the provider was asked for by (a plugin's instance may call itself otherwise).</param>
    private BenchResult Measure(ModelSpec spec, DataSplits splits, IComputeProvider provider, string name)
    {
        // A model designed for other input (VGG16: 224×224 RGB) is fed random images of that shape.
        bool synthetic = false;
        if (PresetInputs.DesignedFor(spec.Name) is { } designed && splits.Train.SampleSize != designed.Input.Length)
        {
            splits = SyntheticImages.Splits(designed.Input, designed.Classes, settings.Seed);
            spec = ModelPresets.Create(spec.Name!, designed.Classes);
            synthetic = true;
        }
        var train = splits.Train;
        var input = new TensorShape(train.Channels, train.Rows, train.Columns);
        using var net = Network.Build(spec, input, train.ClassCount, provider, settings.Seed);
        int batchSize = synthetic
            ? SyntheticImages.LargestBatchThatFits(net.Summary, Math.Min(settings.BatchSize, SyntheticImages.TrainCount))
            : settings.BatchSize;
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        string model = net.Spec.Name ?? "custom";

        PhaseThroughput training;
        using (var workload = new TrainingWorkload(net, optimizer, train, batchSize, settings.Seed))
            training = BenchMeter.Measure(workload, settings, (w, rate) => output.Window(model, name, "training", w, settings.Windows, rate), cancellationToken);
        PhaseThroughput inference;
        using (var workload = new InferenceWorkload(net, splits.Test, batchSize))
            inference = BenchMeter.Measure(workload, settings, (w, rate) => output.Window(model, name, "inference", w, settings.Windows, rate), cancellationToken);
        return new BenchResult(model, name, provider.Info.Threads, net.Summary.TotalParameters, batchSize, training, inference, BenchFlops.Of(net))
        {
            PeakMemoryBytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64,
        };
    }
}
