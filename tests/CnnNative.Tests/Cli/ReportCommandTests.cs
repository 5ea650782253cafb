using System.Xml.Linq;
using CnnNative.Cli;
using CnnNative.Cli.Report;
using CnnNative.Tests.Data;
using CnnNative.Training;
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
        // No steps recorded: the loss per epoch (training and test, from the checkpoint's history) stands alone.
        Assert.Empty(page.ById("loss").ByName("svg"));
        Assert.Equal(["training", "test"], page.ById("epoch-loss").ByName("g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!));
        Assert.Equal(4, page.ById("epoch-loss").ByName("circle").Count());
        Assert.Equal("tiny-conv: run-copy", page.ByName("h1").Single().Value);
        Assert.Equal(120, ConfusionTotal(page));
        Assert.False(File.Exists(Path.Combine(copy, "report.html")) && File.GetLastWriteTimeUtc(Path.Combine(copy, "report.html")) > File.GetLastWriteTimeUtc(output));
    }

    [Fact]
    public void Report_of_several_runs_writes_one_compare_page_beside_them_and_links_each_report()
    {
        string a = run.CopyRun(_dir, "run-a"), b = run.CopyRun(_dir, "run-b"), c = run.CopyRun(_dir, "run-c");
        // run-b learnt less; run-c has no report yet.
        var epochs = MetricsCsv.Read(Path.Combine(a, "metrics.csv"));
        MetricsCsv.Write(Path.Combine(b, "metrics.csv"), epochs.Select(e => e with { TestAccuracy = e.TestAccuracy / 2, TestLoss = e.TestLoss * 2 }));
        File.Delete(Path.Combine(c, "report.html"));
        string compare = _dir.File("compare.html");

        var r = _cli.Run("report", a, b, c);

        CliAssert.Succeeded(r);
        Assert.Equal("", r.Err);
        Assert.Equal($"wrote {compare} comparing 3 runs", r.OutLines[0]);
        Assert.Contains($"linked {Path.Combine(a, "report.html")}", r.OutLines);
        Assert.Contains(r.OutLines, l => l.StartsWith($"not linked: {c}: no report.html yet", StringComparison.Ordinal));
        XDocument page = Page(compare);
        foreach (string chart in (string[])["test-accuracy", "training-loss", "test-loss"])
            Assert.Equal(["run-a", "run-b", "run-c"], page.ById(chart).ByName("g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!));
        Assert.Throws<InvalidOperationException>(() => page.ById("validation-loss")); // no run held out a validation set
        // One column per run, one row per setting; the rows where the runs differ are marked.
        var runColumns = page.ById("runs").ByName("thead").Single().ByName("th").Skip(1).ToList();
        Assert.Equal(["run-a", "run-b", "run-c"], runColumns.Select(th => (string)th.Attribute("data-run")!));
        var rows = page.ById("runs").ByName("tbody").Single().Elements().ToList();
        XElement Row(string key) => rows.Single(row => row.ByName("th").Single().Value == key);
        string Cell(int run, string key) => Row(key).ByName("td").ElementAt(run).Value;
        Assert.Equal("differs", (string?)Row("best test accuracy").Attribute("class"));
        Assert.Null(Row("seed").Attribute("class"));
        Assert.Equal("tiny-conv", Cell(0, "model"));
        Assert.Equal("0.01", Cell(0, "learning rate"));
        Assert.Equal("32", Cell(0, "batch size"));
        Assert.Equal("2 of 2", Cell(0, "epochs"));
        Assert.Equal("4", Cell(0, "seed"));
        Assert.Equal("completed", Cell(0, "status"));
        double best = epochs.Max(e => e.TestAccuracy);
        Assert.StartsWith($"{best * 100:0.00}%", Cell(0, "best test accuracy"));
        Assert.StartsWith($"{best * 50:0.00}%", Cell(1, "best test accuracy"));
        Assert.Equal("run-a/report.html", (string)runColumns[0].ByName("a").Single().Attribute("href")!);
        Assert.Empty(runColumns[2].ByName("a"));

        // Each finished run's report links the page, and a report made later (run-c's) finds it by itself.
        foreach (string linked in (string[])[a, b])
            Assert.Equal("../compare.html", (string)Page(Path.Combine(linked, "report.html")).ByName("a").Single(l => l.Value == "Compare runs").Attribute("href")!);
        CliAssert.Succeeded(_cli.Run("report", c));
        Assert.Equal("../compare.html", (string)Page(Path.Combine(c, "report.html")).ByName("a").Single(l => l.Value == "Compare runs").Attribute("href")!);

        // The folder that holds the runs names them all; the page is replaced, and the links stay single.
        var again = _cli.Run("report", _dir.Path);
        CliAssert.Succeeded(again);
        Assert.Equal($"wrote {compare} comparing 3 runs", again.OutLines[0]);
        Assert.Single(Page(Path.Combine(a, "report.html")).ByName("a"), l => l.Value == "Compare runs");
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Comparing_runs_in_different_folders_needs_an_output_and_refuses_a_data_folder()
    {
        string a = run.CopyRun(_dir, "run-a");
        Directory.CreateDirectory(_dir.File("other"));
        string b = _dir.File("other/run-b");
        Directory.Move(run.CopyRun(_dir, "run-b"), b);

        CliAssert.FailedWithOneSentence(_cli.Run("report", a, b), "The runs are in different folders", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("report", a, _dir.File("nothing-here")), "does not exist");
        CliAssert.FailedWithOneSentence(_cli.Run("report", a, a, "--data", run.Data), "--data applies to the report of one run", ExitCodes.Usage);
        string output = _dir.File("both.html");
        CliAssert.Succeeded(_cli.Run("report", a, b, "--output", output));
        Assert.Equal(["run-a/report.html", "other/run-b/report.html"], Page(output).ById("runs").ByName("a").Select(l => (string)l.Attribute("href")!));
        Assert.Equal("../both.html", (string)Page(Path.Combine(a, "report.html")).ByName("a").Single(l => l.Value == "Compare runs").Attribute("href")!);
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
