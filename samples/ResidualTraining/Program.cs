// Trains a small residual network with a user-defined layer (Swish), a cosine learning-rate
// schedule with warm-up and early stopping on every provider that starts here, using only the
// CnnNative packages. Data: Fashion-MNIST (Debian's dataset-fashion-mnist, or a folder given
// as the first argument), a slice of it so that every provider finishes in seconds.
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Hosting;
using CnnNative.Nn;
using CnnNative.Nn.Training;
using Microsoft.Extensions.Configuration;

var data = DatasetLoader.Load(args.Length > 0 ? args[0] : null);
Dataset train = data.Train.Slice(0, 2000), test = data.Test.Slice(0, 500);
var settings = new TrainingSettings
{
    Epochs = 6, BatchSize = 50, ValidationSplit = 0.1,
    Optimizer = TrainingSettings.OptimizerFor("adam", learningRate: 0.003f),
    Schedule = LearningRateSchedule.For("cosine", warmupEpochs: 1),
};

// CI names the providers that must run (CNN_REQUIRE_PROVIDERS); others may be skipped here.
var required = (Environment.GetEnvironmentVariable("CNN_REQUIRE_PROVIDERS") ?? "")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
int errors = 0;
var registry = ProviderCatalog.CreateDefault();
foreach (var status in registry.Probe(new ConfigurationBuilder().Build()))
{
    if (!status.Available)
    {
        bool must = required.Contains(status.Name);
        Console.Error.WriteLine($"{(must ? "error" : "skipped")}: {status.Problem}");
        if (must) errors++;
        continue;
    }
    using var provider = registry.Create(status.Name);
    using var network = ResidualNet.Build(provider, new TensorShape(1, 28, 28), classes: 10);
    using var trainer = new Trainer(network, train, test, settings);
    trainer.Callbacks.Add(new EarlyStopping(patience: 2));
    var result = trainer.Run();
    Console.WriteLine($"{status.Name,-9} {result.Outcome,-9} after {result.History.Count} epochs: " +
        $"validation accuracy {result.History[^1].ValidationAccuracy:F3}, test accuracy {result.FinalTestAccuracy:F3}");
    if (result.Outcome is not (TrainingOutcome.Completed or TrainingOutcome.Stopped) || result.FinalTestAccuracy < 0.5)
    {
        Console.Error.WriteLine($"error: {status.Name} did not learn ({result.Outcome}, test accuracy {result.FinalTestAccuracy:F3}).");
        errors++;
    }
}
return errors == 0 ? 0 : 1;
