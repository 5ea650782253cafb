using System.Xml.Linq;
using CnnNative.Cli.Report;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Report;

/// <summary>report.html and steps.csv while a real (tiny) run trains: first page, a refresh per epoch, the final page, and a resume.</summary>
public sealed class TrainingReporterTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("reporter");
    private readonly string _data;
    private readonly string _model;

    public TrainingReporterTests()
    {
        _data = _dir.File("fashion-tiny");
        SyntheticData.WriteIdxFolder(_data);
        _model = _dir.File("tiny.json");
        File.WriteAllText(_model, SyntheticData.ModelJson());
    }

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    private TrainingJob Prepare(string output, string? resume = null) => TrainingJob.Prepare(new TrainingRequest
    {
        Model = resume is null ? _model : null,
        DataFolder = _data,
        Epochs = 2,
        BatchSize = resume is null ? 32 : null, // 400 samples: 13 batches, so the trainer reports every batch
        LearningRate = resume is null ? 0.01f : null,
        Seed = resume is null ? 4 : null,
        Output = output,
        Resume = resume,
    }, _provider);

    /// <summary>A display that calls back on every batch (to look at the files mid-run) and can cancel at an exact batch.</summary>
    private sealed class Probe(Action<BatchProgress>? onBatch = null, (int Epoch, int Batch)? cancelAt = null) : TrainingCallback
    {
        public CancellationTokenSource Cancellation { get; } = new();

        public List<EpochMetrics> Epochs { get; } = [];

        public override void Started(TrainingStart start) { }

        public override void BatchDone(in BatchProgress progress)
        {
            onBatch?.Invoke(progress);
            if (cancelAt is { } at && at == (progress.Epoch, progress.Batch)) Cancellation.Cancel();
        }

        public override void Evaluating(int epoch) { }

        public override void EpochDone(EpochMetrics metrics) => Epochs.Add(metrics);
    }

    [Fact]
    public void ReportIsWrittenAtTheStartRefreshedAfterEachEpochAndFinalAtTheEnd()
    {
        string output = _dir.File("run");
        string report = Path.Combine(output, RunReport.FileName);
        string? atStart = null, afterEpoch1 = null;
        var probe = new Probe(onBatch: p =>
        {
            if (p is { Epoch: 1, Batch: 1 }) atStart = File.ReadAllText(report);
            if (p is { Epoch: 2, Batch: 1 }) afterEpoch1 = File.ReadAllText(report);
        });
        using var job = Prepare(output);
        var warnings = new StringWriter();
        var reporter = new TrainingReporter(probe, job, warnings, clock: () => new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));

        TrainingResult result = job.Run(reporter);
        reporter.Finish(result);

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(2, probe.Epochs.Count); // the display still gets every call
        Assert.Equal("", warnings.ToString());

        XDocument start = ReportSamples.Parse(atStart!);
        Assert.Equal("30", Refresh(start));
        Assert.Equal("training: 0 of 2 epochs done", Setting(start, "status"));
        Assert.Empty(start.ById("confusion").ByName("svg"));

        XDocument epoch1 = ReportSamples.Parse(afterEpoch1!);
        Assert.Equal("30", Refresh(epoch1));
        Assert.Equal("training: 1 of 2 epochs done", Setting(epoch1, "status"));
        Assert.Single(epoch1.ById("metrics").ByName("tbody").Single().Elements());
        Assert.Single(epoch1.ById("confusion").ByName("svg"));
        Assert.NotEmpty(epoch1.ById("filters").ByName("img"));

        XDocument final = ReportSamples.Parse(File.ReadAllText(report));
        Assert.Null(Refresh(final));
        Assert.Equal("completed", Setting(final, "status"));
        Assert.Equal("tiny-conv on fashion-tiny", final.ByName("h1").Single().Value);
        Assert.Contains("Generated 2026-03-04 05:06:07", final.ByName("header").Single().Value);
        Assert.Equal(2, final.ById("metrics").ByName("tbody").Single().Elements().Count());
        Assert.DoesNotContain(final.Descendants(), e => (string?)e.Attribute("class") == "missing"); // mistakes: a list or "none"
        int counted = final.ById("confusion").ByName("g").Where(g => (string?)g.Attribute("class") == "cell")
            .Sum(g => int.Parse(g.ByName("text").Single().Value));
        Assert.Equal(120, counted);

        // Every batch was reported, so the curve has one point per mini-batch: the exact batch losses.
        var steps = StepLossCsv.Read(Path.Combine(output, StepLossCsv.FileName));
        Assert.Equal(Enumerable.Range(1, 26).Select(i => (long)i), steps.Select(s => s.Step));
        Assert.Equal(result.History[0].Loss, (steps.Take(12).Sum(s => 32 * s.Loss) + 16 * steps[12].Loss) / 400, 5);
        Assert.Equal("loss per mini-batch", final.ById("loss").ByName("g").First(g => (string?)g.Attribute("class") == "series").Attribute("data-name")!.Value);
        Assert.Empty(Directory.GetFiles(output, "*.tmp")); // atomic writes leave nothing behind
    }

    [Fact]
    public void AnInterruptedRunResumesItsLossCurveWhereItStopped()
    {
        string straight = _dir.File("straight"), stopped = _dir.File("stopped");
        using (var job = Prepare(straight))
        {
            var reporter = new TrainingReporter(new Probe(), job, TextWriter.Null);
            reporter.Finish(job.Run(reporter));
        }

        var probe = new Probe(cancelAt: (2, 5));
        using (var job = Prepare(stopped))
        {
            var reporter = new TrainingReporter(probe, job, TextWriter.Null);
            TrainingResult result = job.Run(reporter, probe.Cancellation.Token);
            reporter.Finish(result);
            Assert.Equal(TrainingOutcome.Interrupted, result.Outcome);
        }
        XDocument interrupted = ReportSamples.Parse(File.ReadAllText(Path.Combine(stopped, RunReport.FileName)));
        Assert.StartsWith("interrupted: Stopped after batch 5 of 13 in epoch 2", Setting(interrupted, "status"));
        Assert.Null(Refresh(interrupted));
        Assert.Equal(18, StepLossCsv.Read(Path.Combine(stopped, StepLossCsv.FileName)).Count);
        Assert.Matches(@"^[0-9.]+ s over 1 finished epoch, [0-9.]+ s of it in unfinished epoch 2 \(batch 5\)$", Setting(interrupted, "training time"));
        Assert.NotEmpty(interrupted.ById("filters").ByName("img"));

        string? firstPage = null;
        using (var job = Prepare(stopped, resume: Path.Combine(stopped, "model.safetensors")))
        {
            var reporter = new TrainingReporter(new Probe(onBatch: p =>
            {
                if (p is { Epoch: 2, Batch: 6 }) firstPage = File.ReadAllText(Path.Combine(stopped, RunReport.FileName));
            }), job, TextWriter.Null);
            reporter.Finish(job.Run(reporter));
        }
        XDocument resumedEnd = ReportSamples.Parse(File.ReadAllText(Path.Combine(stopped, RunReport.FileName)));
        Assert.EndsWith("over 2 finished epochs, counted across every interruption and resume", Setting(resumedEnd, "training time"));
        Assert.EndsWith("(this session)", Setting(resumedEnd, "started"));
        XDocument resumedStart = ReportSamples.Parse(firstPage!);
        Assert.Equal("training: 1 of 2 epochs done", Setting(resumedStart, "status"));
        Assert.Single(resumedStart.ById("confusion").ByName("svg")); // the resumed model is inspected before it trains on

        // Inspecting the model for the report (after each epoch, and when the resumed run starts) changes nothing it trains.
        var a = SafeTensorsFile.Read(Path.Combine(straight, "model.safetensors"));
        var b = SafeTensorsFile.Read(Path.Combine(stopped, "model.safetensors"));
        Assert.Equal(a.Tensors.Select(t => t.Name), b.Tensors.Select(t => t.Name));
        for (int i = 0; i < a.Tensors.Count; i++)
            ResumeTests.AssertBitwiseEqual(a.Tensors[i].Name, a.Tensors[i].Data, b.Tensors[i].Data);

        var expected = StepLossCsv.Read(Path.Combine(straight, StepLossCsv.FileName));
        var resumed = StepLossCsv.Read(Path.Combine(stopped, StepLossCsv.FileName));
        Assert.Equal(expected.Select(s => s.Step), resumed.Select(s => s.Step));
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i].Loss, resumed[i].Loss, 5); // the resumed run trains bit for bit like the straight one
    }

    [Fact]
    public void A_run_interrupted_in_its_first_epoch_keeps_its_filters_and_training_time_and_a_resume_inside_it_shows_them_from_the_start()
    {
        string output = _dir.File("first-epoch");
        var probe = new Probe(cancelAt: (1, 4));
        float[] weights;
        using (var job = Prepare(output))
        {
            var reporter = new TrainingReporter(probe, job, TextWriter.Null);
            TrainingResult result = job.Run(reporter, probe.Cancellation.Token);
            reporter.Finish(result);
            Assert.Equal(TrainingOutcome.Interrupted, result.Outcome);
            weights = ModelInspector.FirstLayerFilters(job.Trainer.Network)!.Weights;
        }
        XDocument page = ReportSamples.Parse(File.ReadAllText(Path.Combine(output, RunReport.FileName)));
        Assert.Empty(page.ById("metrics").ByName("tbody")); // no epoch finished …
        Assert.Equal(4, page.ById("filters").ByName("img").Count()); // … but the filters of the weights the checkpoint keeps are there
        Assert.Contains(page.ByName("dl").Single().ByName("div"), d => d.Value.StartsWith("Training time", StringComparison.Ordinal));
        Assert.Matches(@"^[0-9.]+ s over 0 finished epochs, [0-9.]+ s of it in unfinished epoch 1 \(batch 4\)$", Setting(page, "training time"));

        // Those filters are the checkpoint's: a resume (still inside epoch 1) shows them on its first page.
        string? firstPage = null;
        using (var job = Prepare(output, resume: Path.Combine(output, "model.safetensors")))
        {
            Assert.Equal(weights, ModelInspector.FirstLayerFilters(job.Trainer.Network)!.Weights);
            var reporter = new TrainingReporter(new Probe(onBatch: p =>
            {
                if (p is { Epoch: 1, Batch: 5 }) firstPage = File.ReadAllText(Path.Combine(output, RunReport.FileName));
            }), job, TextWriter.Null);
            reporter.Finish(job.Run(reporter));
        }
        Assert.Equal(4, ReportSamples.Parse(firstPage!).ById("filters").ByName("img").Count());
    }

    private static string? Refresh(XDocument page) =>
        (string?)page.ByName("meta").SingleOrDefault(m => (string?)m.Attribute("http-equiv") == "refresh")?.Attribute("content");

    private static string Setting(XDocument page, string key) =>
        page.ById("settings").ByName("tr").Single(r => r.Element(r.Name.Namespace + "th")!.Value == key).Element(page.Root!.Name.Namespace + "td")!.Value;
}
