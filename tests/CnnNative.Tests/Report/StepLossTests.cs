using CnnNative.Cli.Report;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Tests.Report;

/// <summary>steps.csv and the loss points recovered from the trainer's running means.</summary>
public sealed class StepLossTests
{
    [Fact]
    public void CsvRoundTripsAndSaysWhatIsWrong()
    {
        StepLoss[] rows = [new(30, 1.734512), new(60, 0.912), new(90, double.NaN)];

        string text = StepLossCsv.Format(rows);

        Assert.StartsWith("step,loss\n30,1.734512\n", text);
        var back = StepLossCsv.Parse(text);
        Assert.Equal(rows[..2], back.Take(2));
        Assert.True(double.IsNaN(back[2].Loss));

        Assert.Contains("first line must be 'step,loss'", Assert.Throws<MetricsFormatException>(() => StepLossCsv.Parse("epoch,loss\n1,2\n", "r/steps.csv")).Message);
        Assert.Contains("r/steps.csv line 3: step 5 does not follow step 9",
            Assert.Throws<MetricsFormatException>(() => StepLossCsv.Parse("step,loss\n9,1\n5,1\n", "r/steps.csv")).Message);
        Assert.Contains("line 2: expected a whole step number and a loss",
            Assert.Throws<MetricsFormatException>(() => StepLossCsv.Parse("step,loss\n1.5,1\n", "r/steps.csv")).Message);
    }

    // 100 samples in batches of 32: 32, 32, 32 and a last batch of 4.
    private const int Batch = 32, Samples = 100, Batches = 4;
    private static readonly int[] Sizes = [32, 32, 32, 4];

    /// <summary>Drives the tracker the way the trainer reports: the running mean of the epoch every <paramref name="interval"/> batches and at the end.</summary>
    private static void Feed(StepLossTracker tracker, int epoch, double[] batchLosses, int interval, int fromBatch = 0, double sum = 0, long samples = 0)
    {
        for (int b = fromBatch; b < Batches; b++)
        {
            sum += Sizes[b] * batchLosses[b];
            samples += Sizes[b];
            int done = b + 1;
            bool report = done % interval == 0 || done == Batches;
            tracker.Record(report
                ? new BatchProgress(epoch, done, Batches, sum / samples, 0.5)
                : new BatchProgress(epoch, done, Batches, double.NaN, double.NaN));
        }
    }

    [Fact]
    public void EachPointIsTheMeanLossOfTheBatchesSinceThePreviousOne()
    {
        var tracker = new StepLossTracker(Batch);
        tracker.Start(new TrainingStart(1, 0, 2, Batches, Samples, 10), TrainingState.Start, []);
        double[] first = [2.0, 1.6, 1.2, 0.9], second = [0.8, 0.7, 0.6, 0.3];

        Feed(tracker, 1, first, interval: 2);
        Feed(tracker, 2, second, interval: 2);

        var points = tracker.Points;
        Assert.Equal([2L, 4, 6, 8], points.Select(p => p.Step));
        Assert.Equal((2.0 + 1.6) / 2, points[0].Loss, 12);
        Assert.Equal((32 * 1.2 + 4 * 0.9) / 36, points[1].Loss, 12); // the small last batch weighs by its size
        Assert.Equal((0.8 + 0.7) / 2, points[2].Loss, 12);            // a new epoch starts a new running mean
        Assert.Equal((32 * 0.6 + 4 * 0.3) / 36, points[3].Loss, 12);
    }

    [Fact]
    public void ResumingMidEpochContinuesTheCurveAndDropsPointsPastTheCheckpoint()
    {
        var tracker = new StepLossTracker(Batch);
        StepLoss[] earlier = [new(2, 1.8), new(4, 1.1), new(6, 9.9)]; // step 6 was written after the checkpoint at step 5
        // The checkpoint stopped after batch 1 of epoch 2, whose loss was 0.8.
        var state = new TrainingState(1, 1, 5, 5, EpochLossSum: 32 * 0.8f, EpochCorrect: 20, EpochSamples: 32, EpochTrainSeconds: 1);
        tracker.Start(new TrainingStart(2, 1, 2, Batches, Samples, 10), state, earlier);

        Feed(tracker, 2, [0.8, 0.7, 0.6, 0.3], interval: 2, fromBatch: 1, sum: 32 * 0.8f, samples: 32);

        var points = tracker.Points;
        Assert.Equal([2L, 4, 6, 8], points.Select(p => p.Step));
        Assert.Equal(1.1, points[1].Loss);
        Assert.Equal(0.7, points[2].Loss, 6); // batch 6 alone: the resumed state is the reference, not the epoch start
        Assert.Equal((32 * 0.6 + 4 * 0.3) / 36, points[3].Loss, 6);
    }
}
