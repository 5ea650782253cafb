using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Tests.Report;

/// <summary>The one metrics.csv format: what the trainer writes, the report reads.</summary>
public sealed class MetricsCsvTests
{
    [Fact]
    public void FormatThenParseRoundTrips()
    {
        EpochMetrics[] rows =
        [
            new(1, 0.512346, 0.8123, 0.8011, 2150.2, 29.125),
            new(2, 0.3, 0.88, 0.86, 2201, 28.5) { ValidationLoss = 0.25, ValidationAccuracy = 0.9, LearningRate = 0.00075, TestLoss = 0.375 },
        ];

        string text = MetricsCsv.Format(rows);

        Assert.StartsWith("epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds,validation_loss,validation_accuracy,learning_rate,test_loss\n", text);
        Assert.Contains(",NaN,NaN,NaN,NaN\n", text); // no validation split, no rate and no test loss recorded
        Assert.EndsWith(",0.00075,0.375000\n", text);
        Assert.Equal(rows, MetricsCsv.Parse(text));
    }

    [Fact]
    public void WrittenFileReadsBack()
    {
        string folder = Directory.CreateTempSubdirectory("cnn-metrics-").FullName;
        try
        {
            string path = Path.Combine(folder, MetricsCsv.FileName);
            MetricsCsv.Write(path, [new EpochMetrics(1, 0.5, 0.75, 0.7, 1000, 10.5)]);

            Assert.Equal([new EpochMetrics(1, 0.5, 0.75, 0.7, 1000, 10.5)], MetricsCsv.Read(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ColumnsAreFoundByNameAndExtrasIgnored()
    {
        const string text = "\uFEFFseconds,epoch,learning_rate,loss,test_accuracy,train_accuracy,images_per_second\r\n" +
                            "10.5,1,0.01,0.9,0.7,0.75,1000\r\n\r\n" +
                            "9.5,2,0.01,NaN,0.8,0.85,1100\r\n";

        IReadOnlyList<EpochMetrics> rows = MetricsCsv.Parse(text);

        Assert.Equal(2, rows.Count);
        Assert.Equal(new EpochMetrics(1, 0.9, 0.75, 0.7, 1000, 10.5) { LearningRate = 0.01 }, rows[0]);
        Assert.True(double.IsNaN(rows[0].ValidationLoss)); // older files have no validation columns
        Assert.True(double.IsNaN(rows[0].TestLoss)); // nor a test loss
        Assert.True(double.IsNaN(rows[1].Loss)); // a diverged run is still readable
    }

    [Fact]
    public void DivergedLossIsWrittenAsNaNAndReadBack()
    {
        string text = MetricsCsv.Format([new EpochMetrics(1, double.NaN, 0.1, 0.1, 5, 1)]);

        Assert.Contains("\n1,NaN,", text);
        Assert.True(double.IsNaN(MetricsCsv.Parse(text)[0].Loss));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("epoch,loss,train_accuracy,test_accuracy,seconds\n", "has no 'images_per_second' column")]
    [InlineData("epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds\n1,0.5,0.9\n", "line 2 has 3 fields but the header has 6")]
    [InlineData("epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds\n1,0.5,0.9,abc,1,1\n", "line 2: test_accuracy 'abc' is not a number")]
    [InlineData("epoch,loss,train_accuracy,test_accuracy,images_per_second,seconds\n1.5,0.5,0.9,0.9,1,1\n", "epoch '1.5' is not a whole number")]
    public void BadFileSaysWhereAndWhat(string text, string expected)
    {
        var error = Assert.Throws<MetricsFormatException>(() => MetricsCsv.Parse(text, "run/metrics.csv"));

        Assert.StartsWith("run/metrics.csv", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
