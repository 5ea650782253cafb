using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Report;

public sealed class RunReportBuilderTests
{
    private static RunReportInputs Inputs(RunInfo? info = null) => new()
    {
        RunFolder = "/runs/tiny-20250102-030405",
        Info = info,
        Model = SyntheticData.Model().For(new TensorShape(1, 8, 8), 4),
        Settings = new TrainingSettings { Epochs = 3, BatchSize = 32, Seed = 9 },
        Epochs = [new EpochMetrics(1, 0.9, 0.7, 0.72, 1000, 2.5)],
        ClassNames = SyntheticData.ClassNames,
    };

    private static string Value(RunReportData data, string key) => data.Settings.Single(kv => kv.Key == key).Value;

    [Fact]
    public void SettingsDescribeTheRunTheModelLayerByLayerAndTheProvider()
    {
        RunInfo info = TestRunInfo.Create().Finished(
            new TrainingResult(TrainingOutcome.Completed, [new EpochMetrics(1, 0.9, 0.7, 0.72, 1000, 2.5)], TrainingState.Start, null),
            new DateTimeOffset(2025, 1, 2, 3, 6, 35, TimeSpan.Zero));

        RunReportData data = RunReportBuilder.Build(Inputs(info), DateTimeOffset.UnixEpoch);

        Assert.Equal("tiny-conv on data", data.Title); // the data folder of run.json is "/data"
        Assert.Null(data.AutoRefreshSeconds);
        Assert.Equal("/runs/tiny-20250102-030405", Value(data, "run folder"));
        Assert.Equal("completed", Value(data, "status"));
        Assert.StartsWith("tiny-conv: input 1×8×8, 4 classes, ", Value(data, "model"));
        Assert.EndsWith("He initialisation", Value(data, "model"));
        Assert.Equal("conv → 4×8×8, 40 parameters", Value(data, "layer conv1"));
        Assert.Equal("maxpool → 4×4×4", Value(data, "layer maxpool1"));
        Assert.Equal("adam, learning rate 0.001, β1 0.9, β2 0.999", Value(data, "optimizer"));
        Assert.Equal("managed on test CPU, 2 threads", Value(data, "provider"));
        Assert.Equal("/data (40 training, 8 test images)", Value(data, "data"));
        Assert.Equal("2025-01-02 03:06:35 +00:00 (2 min 30 s)", Value(data, "finished"));
        Assert.Equal("top, upper, lower, bottom", Value(data, "classes"));
    }

    [Fact]
    public void WithoutRunJsonTheCheckpointSettingsAndFolderNameAreUsed()
    {
        RunReportData data = RunReportBuilder.Build(Inputs() with { InProgress = true, PlannedEpochs = 3 }, DateTimeOffset.UnixEpoch);

        Assert.Equal("tiny-conv: tiny-20250102-030405", data.Title);
        Assert.Equal(RunReportBuilder.RefreshSeconds, data.AutoRefreshSeconds);
        Assert.Equal("training: 1 of 3 epochs done", Value(data, "status"));
        Assert.Equal("32", Value(data, "batch size"));
        Assert.Equal("9", Value(data, "seed"));
        Assert.DoesNotContain(data.Settings, kv => kv.Key == "provider");
    }

    [Fact]
    public void InsightsGoToTheirSections()
    {
        var insights = new ModelInsights(new int[4, 4], [new MisclassifiedSample(new float[64], 8, 8, 1, 2, 0.6) { Index = 7 }],
            new FilterBank(new float[9], 1, 1, 3, 3), null);

        RunReportData data = RunReportBuilder.Build(Inputs() with { Insights = insights }, DateTimeOffset.UnixEpoch);

        Assert.Same(insights.ConfusionMatrix, data.ConfusionMatrix);
        Assert.Same(insights.Misclassified, data.Misclassified);
        Assert.Same(insights.FirstLayerFilters, data.FirstLayerFilters);
        Assert.Null(data.FeatureMaps);
        Assert.Contains("title=\"test image #7: true upper, predicted lower (60.00%)\"", RunReportRenderer.Render(data));
    }

    [Fact]
    public void Training_time_adds_the_unfinished_epoch_of_an_interrupted_run_to_the_finished_ones()
    {
        // Stopped at batch 5 of epoch 2, after 1.5 s of it; epoch 1 took 2.5 s (before and after any resume).
        var stopped = new TrainingState(1, 5, 5, 5, 3f, 100, 160, 1.5);

        RunReportData data = RunReportBuilder.Build(Inputs() with { State = stopped }, DateTimeOffset.UnixEpoch);

        Assert.Equal(4.0, data.TrainingSeconds);
        Assert.Equal("4.0 s over 1 finished epoch, 1.5 s of it in unfinished epoch 2 (batch 5)", Value(data, "training time"));
        // A state that is not the epoch after the last finished one (or at an epoch's start) adds nothing.
        Assert.Equal(2.5, RunReportBuilder.TrainingSeconds(Inputs().Epochs, new TrainingState(0, 5, 5, 5, 3f, 100, 160, 1.25)));
        Assert.Equal(2.5, RunReportBuilder.TrainingSeconds(Inputs().Epochs, new TrainingState(1, 0, 5, 5, 0f, 0, 0, 0)));
        Assert.Equal(1.25, RunReportBuilder.TrainingSeconds([], new TrainingState(0, 5, 5, 5, 3f, 100, 160, 1.25)));
    }

    [Fact]
    public void Current_filters_replace_older_inspected_ones_and_the_compare_link_passes_through()
    {
        var inspected = new FilterBank(new float[9], 1, 1, 3, 3);
        var current = new FilterBank(Enumerable.Repeat(0.5f, 9).ToArray(), 1, 1, 3, 3);
        var insights = new ModelInsights(new int[4, 4], [], inspected, null);

        RunReportData data = RunReportBuilder.Build(Inputs() with { Insights = insights, CurrentFilters = current, CompareLink = "../compare.html" }, DateTimeOffset.UnixEpoch);

        Assert.Same(current, data.FirstLayerFilters);
        Assert.Equal("../compare.html", data.CompareLink);
        Assert.Same(inspected, RunReportBuilder.Build(Inputs() with { Insights = insights }, DateTimeOffset.UnixEpoch).FirstLayerFilters);
    }
}
