using CnnNative.Tests.Infrastructure;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("trainer");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private static TrainingSettings Settings(int epochs = 3, string optimizer = "adam", float? lr = 0.01f) => new()
    {
        Epochs = epochs,
        BatchSize = 32, // 400 samples: 12 full batches and one of 16, so the partial batch is exercised
        Optimizer = TrainingSettings.OptimizerFor(optimizer, lr),
        Seed = 7,
    };

    [Fact]
    public void A_small_conv_net_learns_the_synthetic_data()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        var test = SyntheticData.Test();
        using var trainer = new Trainer(network, SyntheticData.Train(), test, Settings());
        using var evaluator = new Evaluator(network, 50);
        double before = evaluator.Accuracy(test);

        var progress = new RecordingProgress();
        var result = trainer.Run(progress);

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Null(result.Message);
        Assert.Equal(3, result.History.Count);
        Assert.InRange(before, 0.0, 0.5); // untrained: about chance (0.25)
        Assert.True(result.FinalTestAccuracy >= 0.95, $"test accuracy after 3 epochs: {result.FinalTestAccuracy}");
        Assert.True(result.History[2].Loss < result.History[0].Loss, "the loss must fall");
        Assert.True(result.History[2].TrainAccuracy > 0.9, $"train accuracy {result.History[2].TrainAccuracy}");
        Assert.Equal(result.FinalTestAccuracy, evaluator.Accuracy(test), 12);
        for (int e = 0; e < 3; e++)
        {
            var m = result.History[e];
            Assert.Equal(e + 1, m.Epoch);
            Assert.True(m.ImagesPerSecond > 0 && m.Seconds > 0);
            Assert.True(double.IsFinite(m.Loss));
        }
        Assert.Equal(new TrainingState(3, 0, 39, 39, 0f, 0, 0, 0), result.State);
    }

    [Fact]
    public void Progress_reports_every_batch_and_the_running_metrics_about_twenty_times_an_epoch()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 2));
        var progress = new RecordingProgress();
        trainer.Run(progress);

        Assert.Equal(new TrainingStart(1, 0, 2, 13, 400, 120), progress.Start);
        Assert.Equal(26, progress.Batches);
        Assert.Equal([1, 2], progress.Evaluations);
        Assert.Equal(2, progress.Epochs.Count);
        // 13 batches per epoch: reported after each batch (interval 1), so 13 reports per epoch.
        Assert.Equal(26, progress.Reports.Count);
        var last = progress.Reports[12];
        Assert.Equal((1, 13), (last.Epoch, last.Batch));
        Assert.Equal(progress.Epochs[0].Loss, last.RunningLoss, 12);
        Assert.Equal(progress.Epochs[0].TrainAccuracy, last.RunningAccuracy, 12);
    }

    [Fact]
    public void Train_accuracy_is_the_running_count_over_every_sample_of_the_epoch()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        var train = SyntheticData.Train();
        using var trainer = new Trainer(network, train, SyntheticData.Test(), Settings(epochs: 1));
        var result = trainer.Run();
        double correct = result.History[0].TrainAccuracy * train.Count;
        Assert.Equal(Math.Round(correct), correct, 6); // a whole number of the 400 samples
    }

    [Fact]
    public void In_a_run_folder_each_epoch_rewrites_metrics_csv_and_the_checkpoint()
    {
        var folder = RunFolderFor("metrics");
        using var network = SyntheticData.Build(_provider, seed: 7);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 2)) { CheckpointPath = folder.CheckpointPath };
        var seenRows = new List<int>();
        var progress = new RecordingProgress
        {
            OnEpochDone = m =>
            {
                seenRows.Add(MetricsCsv.Read(folder.MetricsPath).Count);
                // The checkpoint is written right after the callbacks, so it still stands one epoch back.
                Assert.Equal(m.Epoch - 1, TrainingCheckpoint.Read(ModelCheckpoint.Open(folder.CheckpointPath)).State.Epoch);
            },
        };
        trainer.Callbacks.Add(new RunFolderRecorder(folder, CheckpointsKept.Last, null));
        var result = trainer.Run(progress);

        Assert.Equal([1, 2], seenRows);
        string[] lines = File.ReadAllLines(folder.MetricsPath);
        Assert.Equal(MetricsCsv.Header, lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("1,", lines[1]);
        var rows = MetricsCsv.Read(folder.MetricsPath);
        Assert.Equal(result.History[1].TestAccuracy, rows[1].TestAccuracy, 6);
        Assert.Equal(result.History[1].Loss, rows[1].Loss, 6);
        var saved = TrainingCheckpoint.Read(ModelCheckpoint.Open(folder.CheckpointPath));
        Assert.Equal(2, saved.History.Count);
        Assert.Equal(result.History, saved.History);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void Sgd_with_the_default_learning_rate_also_learns()
    {
        Assert.Equal(0.1f, TrainingSettings.DefaultLearningRate("sgd"));
        Assert.Equal(0.001f, TrainingSettings.DefaultLearningRate("Adam"));
        using var network = SyntheticData.Build(_provider, seed: 3);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 4, optimizer: "sgd", lr: null));
        var result = trainer.Run();
        Assert.Equal("sgd", trainer.Optimizer.Name);
        Assert.Equal(0.1f, trainer.Optimizer.LearningRate);
        Assert.True(result.FinalTestAccuracy >= 0.9, $"SGD test accuracy {result.FinalTestAccuracy}");
    }

    [Fact]
    public void Data_that_does_not_fit_the_model_is_refused_with_one_sentence()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        var wrong = new CnnNative.Data.Dataset("train", new float[10 * 49], new float[10], 1, 7, 7, SyntheticData.ClassNames);
        var e = Assert.Throws<TrainingSetupException>(() => new Trainer(network, wrong, SyntheticData.Test(), Settings()));
        Assert.Contains("1×7×7", e.Message);
        Assert.Contains("[1, 8, 8]", e.Message);
    }

    [Fact]
    public void A_given_optimizer_trains_the_network_and_stays_the_callers()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        using var optimizer = new CnnNative.Nn.Sgd(TrainingSettings.OptimizerFor("sgd", 0.1f), network.Parameters);
        using (var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 2), optimizer))
        {
            Assert.Same(optimizer, trainer.Optimizer);
            Assert.Equal("sgd", trainer.Settings.Optimizer.Name);
            Assert.True(trainer.Run().FinalTestAccuracy >= 0.9);
        }
        Assert.Equal(26, optimizer.StepCount); // still usable: the trainer did not dispose it
    }

    [Fact]
    public void An_optimizer_of_other_parameters_is_refused()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        using var other = SyntheticData.Build(_provider, seed: 8);
        using var optimizer = new CnnNative.Nn.Sgd(TrainingSettings.OptimizerFor("sgd"), other.Parameters);
        var e = Assert.Throws<TrainingSetupException>(() => new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(), optimizer));
        Assert.Contains("does not update the network's parameter 'conv1.W'", e.Message);
    }

    [Fact]
    public void The_gradient_reducer_runs_between_backward_and_update_on_every_step()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        var before = network.Parameters.ToDictionary(p => p.Name, p => ResumeTests.Download(p.Value));
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings(epochs: 1, optimizer: "sgd", lr: 0.1f));
        var zero = new ZeroingReducer();
        trainer.GradientReducer = zero;
        trainer.Run();

        Assert.Equal(13, zero.Calls);
        Assert.Equal(network.Parameters.Count, zero.LastCount);
        // Plain SGD with every gradient reduced to zero leaves the weights as they were.
        foreach (var p in network.Parameters)
            ResumeTests.AssertBitwiseEqual(p.Name, before[p.Name], ResumeTests.Download(p.Value));
    }

    private sealed class ZeroingReducer : CnnNative.Nn.IGradientReducer
    {
        public int Calls { get; private set; }

        public int LastCount { get; private set; }

        public void Reduce(IReadOnlyList<CnnNative.Nn.Parameter> parameters)
        {
            Calls++;
            LastCount = parameters.Count;
            foreach (var p in parameters) p.Value.Provider.Fill(p.Gradient, 0f);
        }
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(3, 0)]
    [InlineData(3, 1_000_000)]
    public void Settings_out_of_range_name_the_option(int epochs, int batch)
    {
        var settings = new TrainingSettings { Epochs = epochs, BatchSize = batch };
        var e = Assert.Throws<TrainingSetupException>(settings.Validate);
        Assert.Equal(epochs == 0 ? "Epochs" : "BatchSize", e.Setting);
        Assert.StartsWith(e.Setting + " must be between 1 and ", e.Message);
    }

    [Fact]
    public void A_steady_state_training_step_allocates_nothing_on_the_managed_heap()
    {
        using var network = SyntheticData.Build(_provider, seed: 7);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), Settings());
        for (int i = 0; i < 3; i++) Assert.True(trainer.TrainNextBatch(out _)); // warm: buffers, views, JIT

        // This thread only: xUnit runs other test classes in parallel, and the trainer, network
        // and layers all run here (the provider's worker threads are its own business).
        long allocated = SteadyStateAllocation.Measure(
            () => { for (int i = 0; i < 8; i++) Assert.True(trainer.TrainNextBatch(out _)); }).CallingThread;

        Assert.Equal(0, allocated);
    }

    private RunFolder RunFolderFor(string name) => RunFolder.Create(_dir.File(name), false, TestRunInfo.Create());
}
