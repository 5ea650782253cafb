using System.Xml.Linq;
using CnnNative.Cli;
using CnnNative.Cli.Report;
using CnnNative.Tests.Data;
using CnnNative.Tests.Report;

namespace CnnNative.Tests.Cli;

/// <summary>`cnn train` leaves a report.html; `cnn report RUN_DIR` makes it again from the folder alone.</summary>
[Collection(TrainedRunCollection.Name)]
public sealed class ReportCommandTests(TrainedRunFixture run) : IDisposable
{
    private readonly CliHarness _cli = TrainedRunFixture.NewCli();
    private readonly TempFolder _dir = new("report-cli");

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    private static XDocument Page(string path) => ReportSamples.Parse(File.ReadAllText(path));

    private static string Setting(XDocument page, string key) =>
        page.ById("settings").ByName("tr").Single(r => r.ByName("th").Single().Value == key).ByName("td").Single().Value;

    private static int ConfusionTotal(XDocument page) =>
        page.ById("confusion").ByName("g").Where(g => (string?)g.Attribute("class") == "cell").Sum(g => int.Parse(g.ByName("text").Single().Value));

    [Fact]
    public void Train_leaves_a_finished_report_and_the_loss_curve_in_the_run_folder()
    {
        Assert.True(File.Exists(Path.Combine(run.Run, "steps.csv")));
        XDocument page = Page(Path.Combine(run.Run, "report.html"));

        Assert.Equal("completed", Setting(page, "status"));
        Assert.DoesNotContain(page.ByName("meta"), m => m.Attribute("http-equiv") is not null); // finished: no reloading
        Assert.Equal(120, ConfusionTotal(page));
        Assert.Equal(2, page.ById("metrics").ByName("tbody").Single().Elements().Count());
        Assert.Equal(4, page.ById("filters").ByName("img").Count()); // 4 filters of 3×3, one tile each
        Assert.Equal(1 + 4, page.ById("feature-maps").ByName("img").Count()); // the input and 4 maps
    }

    [Fact]
    public void Report_remakes_the_page_from_the_run_folder()
    {
        string copy = run.CopyRun(_dir);
        string report = Path.Combine(copy, "report.html");
        File.Delete(report);

        var r = _cli.Run("report", copy);

        CliAssert.Succeeded(r);
        Assert.Equal("", r.Err);
        Assert.Equal($"wrote {report}", r.Out.Trim());
        XDocument page = Page(report);
        XDocument trained = Page(Path.Combine(run.Run, "report.html"));
        Assert.Equal(trained.ByName("h1").Single().Value, page.ByName("h1").Single().Value);
        Assert.Equal(copy, Setting(page, "run folder"));
        Assert.Equal("completed", Setting(page, "status"));
        Assert.Equal(120, ConfusionTotal(page));
        // The same checkpoint on the same provider: the same confusion matrix and mistakes as the page training wrote.
        Assert.Equal(trained.ById("confusion").ByName("svg").Single().ToString(), page.ById("confusion").ByName("svg").Single().ToString());
        Assert.Equal(trained.ById("misclassified").ToString(), page.ById("misclassified").ToString());
        Assert.Equal(trained.ById("loss").ToString(), page.ById("loss").ToString());
        Assert.DoesNotContain(page.Descendants(), e => (string?)e.Attribute("class") == "missing");
    }

    [Fact]
    public void Report_uses_the_checkpoints_metrics_without_metrics_csv_and_another_data_folder_and_output()
    {
        string copy = run.CopyRun(_dir);
        File.Delete(Path.Combine(copy, "metrics.csv"));
        File.Delete(Path.Combine(copy, "steps.csv"));
        File.Delete(Path.Combine(copy, "run.json"));
        string data = _dir.File("moved-data");
        Directory.CreateDirectory(data);
        foreach (string file in Directory.GetFiles(run.Data))
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        string output = _dir.File("elsewhere.html");

        var r = _cli.Run("report", copy, "--data", data, "--output", output);

        CliAssert.Succeeded(r);
        XDocument page = Page(output);
        Assert.Equal(2, page.ById("metrics").ByName("tbody").Single().Elements().Count());
        Assert.Equal(2, page.ById("loss").ByName("circle").Count()); // per-epoch loss when no steps were recorded
        Assert.Equal("tiny-conv: run-copy", page.ByName("h1").Single().Value);
        Assert.Equal(120, ConfusionTotal(page));
        Assert.False(File.Exists(Path.Combine(copy, "report.html")) && File.GetLastWriteTimeUtc(Path.Combine(copy, "report.html")) > File.GetLastWriteTimeUtc(output));
    }

    [Fact]
    public void Report_explains_a_folder_that_is_not_a_run()
    {
        string empty = _dir.File("empty");
        Directory.CreateDirectory(empty);

        CliAssert.FailedWithOneSentence(_cli.Run("report", empty), "is not a training run folder: it has no model.safetensors");
        CliAssert.FailedWithOneSentence(_cli.Run("report", _dir.File("nowhere")), "The run folder '");
        CliAssert.FolderHolds(empty);
    }

    [Fact]
    public void Report_fails_cleanly_on_bad_run_files_and_unwritable_outputs()
    {
        string copy = run.CopyRun(_dir);
        string[] files = Directory.GetFiles(copy).Select(Path.GetFileName).ToArray()!;

        File.WriteAllText(Path.Combine(copy, "metrics.csv"), "epoch,loss\n1,2\n");
        CliAssert.FailedWithOneSentence(_cli.Run("report", copy), "has no 'train_accuracy' column");

        File.Copy(Path.Combine(run.Run, "metrics.csv"), Path.Combine(copy, "metrics.csv"), overwrite: true);
        File.WriteAllText(Path.Combine(copy, "run.json"), "{ not json");
        CliAssert.FailedWithOneSentence(_cli.Run("report", copy), "is not a valid run description");

        File.Copy(Path.Combine(run.Run, "run.json"), Path.Combine(copy, "run.json"), overwrite: true);
        CliAssert.FailedWithOneSentence(_cli.Run("report", copy, "--output", _dir.File("no/such/folder/r.html")), "does not exist; create it");
        CliAssert.FailedWithOneSentence(_cli.Run("report", copy, "--output", _dir.File("r.txt")), "must be a page path ending in .html", ExitCodes.Usage);
        var gone = _cli.Run("report", copy, "--data", _dir.File("no-data"));
        Assert.Equal(ExitCodes.Failure, gone.Exit);
        Assert.Contains("the data folder does not exist", Assert.Single(gone.ErrLines));

        File.WriteAllBytes(Path.Combine(copy, "model.safetensors"), [1, 2, 3]);
        Assert.Equal(ExitCodes.Failure, _cli.Run("report", copy).Exit);

        CliAssert.FolderHolds(copy, files); // nothing added, report.html untouched
    }
}
