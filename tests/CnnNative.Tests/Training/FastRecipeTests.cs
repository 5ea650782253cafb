using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;
using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using CnnNative.Training;

namespace CnnNative.Tests.Training;

/// <summary>
/// The time-to-accuracy callback (<see cref="TargetAccuracy"/>), the <c>fast</c> recipe and how
/// a preset fills in a request. The recipe's speed is measured in the README's runs, never here.
/// </summary>
public sealed class FastRecipeTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);

    public void Dispose() => _provider.Dispose();

    private static TrainingSettings Settings(int epochs) => new()
    {
        Epochs = epochs, BatchSize = 32, Seed = 5,
        Optimizer = TrainingSettings.OptimizerFor("adam", 0.01f),
    };

    [Fact]
    public void The_target_stops_the_run_after_the_first_epoch_that_reaches_it_and_times_it()
    {
        // A first run says which epoch first passes 0.6; the timed run must stop exactly there.
        double[] accuracies;
        using (var network = SyntheticData.Build(_provider, seed: 5))
        using (var free = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 4)))
            accuracies = [.. free.Run().History.Select(m => m.TestAccuracy)];
        int first = 1 + Array.FindIndex(accuracies, a => a >= 0.6);
        Assert.True(first is > 0 and < 4, $"the synthetic data should pass 0.6 before epoch 4: {string.Join(", ", accuracies)}");

        using var timedNetwork = SyntheticData.Build(_provider, seed: 5);
        using var trainer = new Trainer(timedNetwork, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 4));
        var target = new TargetAccuracy(0.6);
        trainer.Callbacks.Add(target);
        var result = trainer.Run();

        Assert.Equal(TrainingOutcome.Stopped, result.Outcome);
        Assert.Equal(first, result.History.Count);
        Assert.Equal(first, target.ReachedEpoch);
        Assert.Equal(accuracies[first - 1], target.ReachedAccuracy);
        Assert.Equal(result.History.Sum(m => m.Seconds), target.Seconds, 9);
        Assert.True(target.CpuSeconds > 0, $"CPU seconds {target.CpuSeconds}");
        Assert.Equal($"Target reached: {target}.", result.Message);
        Assert.Matches(@"^test accuracy \d\.\d{4} ≥ 0\.6 after epoch \d in \d+\.\d s \(\d+\.\d CPU-s\)$", target.ToString());
    }

    [Fact]
    public void A_target_outside_0_to_1_or_without_a_test_set_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TargetAccuracy(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TargetAccuracy(92));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TargetAccuracy(double.NaN));

        using var network = SyntheticData.Build(_provider, seed: 5);
        using var trainer = new Trainer(network, SyntheticData.Train(), test: null, Settings(epochs: 1));
        trainer.Callbacks.Add(new TargetAccuracy(0.9));
        var e = Assert.Throws<TrainingSetupException>(() => trainer.Run());
        Assert.Contains("needs a test set", e.Message);
    }

    [Fact]
    public void A_preset_fills_in_what_the_request_leaves_out_and_given_flags_win()
    {
        var fast = TrainingRecipes.Fast;
        var filled = new TrainingRequest { Preset = "FAST" }.WithPreset();
        Assert.Equal(ModelPresets.FastConv, filled.Model);
        Assert.Equal(fast.Settings.Epochs, filled.Epochs);
        Assert.Equal(fast.Settings.BatchSize, filled.BatchSize);
        Assert.Equal("adam", filled.Optimizer);
        Assert.Equal(fast.Settings.Optimizer.LearningRate, filled.LearningRate);
        Assert.Equal("one-cycle", filled.Schedule);
        Assert.Equal(0.92, filled.TargetAccuracy);
        Assert.Matches(@"^fast-conv, adam lr 0\.\d+ \(one-cycle\), batch 128, \d epochs, stop at test accuracy 0\.92: ", fast.ToString());

        var mine = new TrainingRequest { Preset = "fast", Epochs = 9, Optimizer = "sgd", TargetAccuracy = 0.5 }.WithPreset();
        Assert.Equal(9, mine.Epochs);
        Assert.Equal("sgd", mine.Optimizer);
        Assert.Null(mine.LearningRate); // Adam's rate would be wrong for SGD: its own default applies
        Assert.Equal(0.5, mine.TargetAccuracy);

        var plain = new TrainingRequest { Model = "simple-conv" };
        Assert.Same(plain, plain.WithPreset());
    }

    [Fact]
    public void A_preset_with_resume_or_an_unknown_preset_is_refused_with_what_to_do()
    {
        var resumed = Assert.Throws<TrainingSetupException>(() => new TrainingRequest { Preset = "fast", Resume = "run/model.safetensors" }.WithPreset());
        Assert.Contains("drop --preset", resumed.Message);
        var unknown = Assert.Throws<TrainingSetupException>(() => new TrainingRequest { Preset = "fastest" }.WithPreset());
        Assert.Equal("Unknown training preset 'fastest'. Presets: fast.", unknown.Message);
    }

    [FashionMnistFact]
    public void The_fast_recipe_learns_fashion_mnist_in_a_fraction_of_an_epoch()
    {
        // Seconds, not minutes: 3,000 training images once, then 1,000 test images.
        var data = DatasetLoader.Load();
        var recipe = TrainingRecipes.Fast;
        var spec = ModelPresets.Create(recipe.Model);
        using var network = Network.Build(spec, new TensorShape(1, 28, 28), 10, _provider, seed: 1);
        using var trainer = new Trainer(network, data.Train.Slice(0, 3000), data.Test.Slice(0, 1000), recipe.Settings with { Epochs = 1 });
        var result = trainer.Run();

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.True(result.FinalTestAccuracy > 0.7, $"test accuracy {result.FinalTestAccuracy} after 3,000 images");
    }
}

/// <summary><c>cnn train --preset</c> and <c>--target-accuracy</c> end to end on a tiny IDX data set.</summary>
public sealed class TargetAccuracyCommandTests : IDisposable
{
    private readonly TinyTrainCli _tiny = new("target-cli", "tiny");

    public void Dispose() => _tiny.Dispose();

    [Fact]
    public void The_fast_preset_with_a_target_prints_the_time_to_it_and_records_it_in_run_json()
    {
        string output = _tiny.Dir.File("run");
        var r = _tiny.Cli.Run(["train", "--preset", "fast", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "6", "--batch-size", "32", "--lr", "0.01", "--target-accuracy", "0.5", "--output", output]);

        Assert.True(r.Exit == CnnNative.Cli.ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Contains("settings: adam lr 0.01 (one-cycle), batch 32, 6 epochs, seed 1", r.Out);
        Assert.Contains("target: stop at test accuracy 0.5 ", r.Out);
        Assert.Matches(@"\ntarget: test accuracy \d\.\d{4} ≥ 0\.5 after epoch \d in \d+\.\d s \(\d+\.\d CPU-s\)\n", r.Out);
        Assert.DoesNotContain("Target reached", r.Out); // said once, by the target line

        var info = RunInfo.FromJson(File.ReadAllText(Path.Combine(output, "run.json")));
        Assert.Equal(0.5, info.TargetAccuracy);
        Assert.NotNull(info.TargetReached);
        Assert.Equal(info.EpochsCompleted, info.TargetReached.Epoch);
        Assert.True(info.TargetReached.TestAccuracy >= 0.5);
        Assert.True(info.EpochsCompleted < 6, "the run should stop at the target, long before its sixth epoch");
    }

    [Fact]
    public void A_target_accuracy_above_1_is_refused_with_its_flag()
    {
        var r = _tiny.Cli.Run(["train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--target-accuracy", "92", "--output", _tiny.Dir.File("never")]);
        Assert.NotEqual(0, r.Exit);
        Assert.Contains("--target-accuracy must be a fraction in (0, 1] such as 0.92, got 92.", r.Err);
        Assert.False(Directory.Exists(_tiny.Dir.File("never")));
    }
}
