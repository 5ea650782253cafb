using System.Xml.Linq;
using CnnNative.Cli.Report;
using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Report;

public sealed class RunReportRendererTests
{
    [Fact]
    public void FullReportIsWellFormedAndHasEverySection()
    {
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(ReportSamples.Full()));

        Assert.Equal("html", page.Root!.Name.LocalName);
        foreach (string id in new[] { "curves", "loss", "accuracy", "metrics", "confusion", "misclassified", "filters", "feature-maps", "settings" })
            Assert.NotNull(page.ById(id));
        Assert.Single(page.ById("loss").ByName("svg"));
        Assert.Single(page.ById("accuracy").ByName("svg"));
        Assert.Single(page.ById("confusion").ByName("svg"));
        Assert.DoesNotContain(page.Descendants(), e => (string?)e.Attribute("class") == "missing");
    }

    [Fact]
    public void UserTextIsEscapedNotInterpreted()
    {
        RunReportData data = ReportSamples.Full();
        string html = RunReportRenderer.Render(data);
        XDocument page = ReportSamples.Parse(html);

        // The parser gives back exactly the original text: escaped on the way in, nothing became markup.
        Assert.Equal(data.Title, page.ByName("title").First().Value);
        Assert.Equal(data.Title, page.ByName("h1").Single().Value);
        Assert.Empty(page.ByName("b"));
        Assert.Empty(page.ByName("script"));
        XElement note = page.ById("settings").ByName("tr").Single(r => r.Element("th")!.Value == "note");
        Assert.Equal("<b>not bold</b> & 'quoted'", note.Element("td")!.Value);
        Assert.Contains("&lt;managed&gt; &amp; &quot;friends&quot;", html);
    }

    [Fact]
    public void PageIsSelfContained()
    {
        string html = RunReportRenderer.Render(ReportSamples.Full());
        XDocument page = ReportSamples.Parse(html);

        foreach (XAttribute attribute in page.Descendants().Attributes())
        {
            if (attribute.IsNamespaceDeclaration) continue; // xmlns values are names, never fetched
            Assert.DoesNotContain("://", attribute.Value);
        }
        Assert.Empty(page.ByName("link"));
        Assert.Empty(page.ByName("script"));
        Assert.DoesNotContain("url(", page.ByName("style").Single().Value);
        Assert.DoesNotContain("@import", html);
        Assert.All(page.ByName("img"), img => Assert.StartsWith("data:image/png;base64,", (string)img.Attribute("src")!));
    }

    [Fact]
    public void ImagesDecodeAtTheirStatedSizeWithCrispPixels()
    {
        RunReportData data = ReportSamples.Full();
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        var images = page.ByName("img").ToList();
        Assert.Equal(5 + 30 + 1 + 30, images.Count); // mistakes, filters, input, feature maps
        foreach (XElement img in images)
        {
            RasterImage png = Decode(img);
            Assert.Equal((int)img.Attribute("width")!, png.Width);
            Assert.Equal((int)img.Attribute("height")!, png.Height);
        }

        // First misclassified image: 28×28 enlarged ×3 by repeating pixels.
        RasterImage first = Decode(page.ById("misclassified").ByName("img").First());
        float[] source = data.Misclassified[0].Pixels;
        for (int y = 0; y < 84; y += 7)
            for (int x = 0; x < 84; x += 5)
                Assert.Equal((byte)Math.Round(source[y / 3 * 28 + x / 3] * 255), first.Pixels[y * 84 + x]);
    }

    [Fact]
    public void FiltersAreDrawnLikeFilterShowWithGrayR()
    {
        RunReportData data = ReportSamples.Full();
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        RasterImage tile = Decode(page.ById("filters").ByName("img").First());
        float[] weights = data.FirstLayerFilters!.Weights[..25];
        int scale = tile.Width / 5;
        int largest = Array.IndexOf(weights, weights.Max()), smallest = Array.IndexOf(weights, weights.Min());
        Assert.Equal(0, tile.Pixels[largest / 5 * scale * tile.Width + largest % 5 * scale]);    // largest weight: black
        Assert.Equal(255, tile.Pixels[smallest / 5 * scale * tile.Width + smallest % 5 * scale]); // smallest: white
    }

    [Fact]
    public void ConfusionMatrixHasACellPerPairWithNames()
    {
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(ReportSamples.Full()));
        XElement svg = page.ById("confusion").ByName("svg").Single();

        var cells = svg.ByName("g").Where(g => (string?)g.Attribute("class") == "cell").ToList();
        Assert.Equal(100, cells.Count);
        XElement shirtAsTShirt = cells.Single(c => (string?)c.Attribute("data-true") == "6" && (string?)c.Attribute("data-predicted") == "0");
        Assert.StartsWith("true Shirt, predicted T-shirt/top: 123", shirtAsTShirt.Element(shirtAsTShirt.Name.Namespace + "title")!.Value);
        Assert.Equal("123", shirtAsTShirt.ByName("text").Single().Value);
        foreach (string name in ReportSamples.FashionNames)
            Assert.Equal(2, svg.ByName("text").Count(t => t.Value == name)); // row label and column label
    }

    [Fact]
    public void WorstConfusionIsTheDarkestMistakeAndEpochTicksAreWhole()
    {
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(ReportSamples.Full()));

        var mistakes = page.ById("confusion").ByName("g")
            .Where(g => (string?)g.Attribute("class") == "cell" && (string?)g.Attribute("data-true") != (string?)g.Attribute("data-predicted"))
            .Select(g => (True: (string)g.Attribute("data-true")!, Fill: (string)g.ByName("rect").Single().Attribute("fill")!))
            .ToList();
        // Red fills darken through green/blue: the lowest green byte is the strongest shade.
        var darkest = mistakes.MinBy(m => Convert.ToInt32(m.Fill.Substring(3, 2), 16));
        Assert.Equal("6", darkest.True);

        var xTicks = page.ById("accuracy").ByName("text").Where(t => (string?)t.Attribute("text-anchor") == "middle" && t.Attribute("transform") is null)
            .Select(t => t.Value).Where(v => v.Length > 0 && char.IsDigit(v[0])).ToList();
        Assert.Equal(["1", "2", "3"], xTicks);
    }

    [Fact]
    public void LossChartDrawsRawAndSmoothedAndThinsLongSeries()
    {
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(ReportSamples.Full(stepLosses: 12_000)));

        var paths = page.ById("loss").ByName("path").ToList();
        Assert.Equal(2, paths.Count);
        foreach (XElement path in paths)
        {
            int points = ((string)path.Attribute("d")!).Count(ch => ch is 'M' or 'L');
            Assert.InRange(points, 1000, RunReportRenderer.MaxPlottedPoints + 1);
        }
        var accuracyLines = page.ById("accuracy").ByName("g").Where(g => (string?)g.Attribute("class") == "series").ToList();
        Assert.Equal(["train", "test"], accuracyLines.Select(g => (string)g.Attribute("data-name")!));
        Assert.Equal(3, accuracyLines[0].ByName("circle").Count());
    }

    [Fact]
    public void DivergedLossBreaksTheLineInsteadOfBreakingThePage()
    {
        RunReportData data = ReportSamples.Full() with { StepLosses = Steps(2.0, 1.5, double.NaN, 1.2, 1.0, double.PositiveInfinity, 0.9) };

        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        string raw = (string)page.ById("loss").ByName("path").First().Attribute("d")!;
        Assert.True(raw.Count(ch => ch == 'M') >= 2, raw);
        Assert.DoesNotContain("NaN", raw);
    }

    [Fact]
    public void MissingPartsRenderAsNotes()
    {
        string html = RunReportRenderer.Render(new RunReportData { Title = "empty run" });
        XDocument page = ReportSamples.Parse(html);

        var notes = page.Descendants().Where(e => (string?)e.Attribute("class") == "missing").ToList();
        Assert.Equal(8, notes.Count); // loss, accuracy, epochs, confusion, mistakes, filters, maps, settings
        Assert.Empty(page.ByName("img"));
        Assert.DoesNotContain("http-equiv", html);
    }

    [Fact]
    public void AModelWithoutMistakesSaysSoInsteadOfSayingNothingWasRecorded()
    {
        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(ReportSamples.Full() with { Misclassified = [] }));

        XElement section = page.ById("misclassified");
        Assert.Empty(section.ByName("img"));
        Assert.Contains("classified every test image correctly", section.Value);
        Assert.DoesNotContain(section.Descendants(), e => (string?)e.Attribute("class") == "missing");
    }

    [Fact]
    public void Without_step_losses_the_loss_per_epoch_stands_alone_and_refresh_is_optional()
    {
        RunReportData data = ReportSamples.Full() with { StepLosses = [], AutoRefreshSeconds = 30 };

        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        Assert.Empty(page.ById("loss").ByName("svg"));
        Assert.Contains("its loss per epoch is shown beside", page.ById("loss").Value);
        Assert.Equal(3, page.ById("epoch-loss").ByName("circle").Count());
        XElement refresh = page.ByName("meta").Single(m => (string?)m.Attribute("http-equiv") == "refresh");
        Assert.Equal("30", (string)refresh.Attribute("content")!);
        Assert.Equal(3, page.ById("metrics").ByName("tbody").Single().Elements().Count());
    }

    [Fact]
    public void Loss_per_epoch_draws_training_validation_and_test_loss_beside_each_other()
    {
        RunReportData data = ReportSamples.Full() with { Epochs = ReportSamples.EpochsWithHeldOutLoss() };

        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        XElement chart = page.ById("epoch-loss");
        Assert.Equal(["training", "validation", "test"], SeriesNames(chart));
        Assert.Equal(9, chart.ByName("circle").Count());
        Assert.Contains(chart.ByName("text"), t => t.Value == "loss" && ((string?)t.Attribute("transform"))?.Contains("rotate") == true); // the y axis says what it shows
        Assert.Contains("validation set", chart.ByName("figcaption").Single().Value);
        Assert.Contains("test set", chart.ByName("figcaption").Single().Value);
        Assert.Equal(["train", "validation", "test"], SeriesNames(page.ById("accuracy")));
        Assert.Equal(["epoch", "loss", "train accuracy", "validation loss", "validation accuracy", "test loss", "test accuracy", "images/s", "seconds"],
            page.ById("metrics").ByName("th").Select(th => th.Value));
        Assert.Equal(["3", "0.3500", "88.00%", "0.4000", "87.00%", "0.3900", "87.00%", "2180", "29.1"],
            page.ById("metrics").ByName("tr").Last().Elements().Select(td => td.Value));
        // The latest test loss is in the summary beside the accuracies.
        Assert.Contains(page.ByName("dl").Single().ByName("div"), d => d.Value == "Test loss0.3900");
    }

    [Fact]
    public void A_run_stopped_in_its_first_epoch_shows_its_training_time_and_filters()
    {
        RunReportData full = ReportSamples.Full();
        RunReportData data = new() { Title = "stopped", TrainingSeconds = 12.5, FirstLayerFilters = full.FirstLayerFilters };

        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        Assert.Contains(page.ByName("dl").Single().ByName("div"), d => d.Value == "Training time12.5 s");
        Assert.Equal(30, page.ById("filters").ByName("img").Count());
    }

    [Fact]
    public void The_navigation_links_the_compare_page_or_keeps_a_place_for_it()
    {
        string without = RunReportRenderer.Render(ReportSamples.Full());
        string with = RunReportRenderer.Render(ReportSamples.Full() with { CompareLink = "../compare.html" });

        Assert.Contains(RunReportRenderer.CompareLinkMarker, without);
        Assert.DoesNotContain("Compare runs", without);
        XElement link = ReportSamples.Parse(with).ByName("nav").Single().ByName("a").Last();
        Assert.Equal(("Compare runs", "../compare.html"), (link.Value, (string)link.Attribute("href")!));
        Assert.DoesNotContain(RunReportRenderer.CompareLinkMarker, with);
    }

    private static List<string> SeriesNames(XElement figure) =>
        figure.ByName("g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!).ToList();

    [Theory]
    [InlineData("classes", "3 classes but there are 10 class names")]
    [InlineData("square", "must be square")]
    [InlineData("pixels", "needs 28×28 pixels, got 10")]
    [InlineData("label", "outside the 10 classes")]
    [InlineData("filters", "needs 750 weights, got 749")]
    [InlineData("maps", "need 17280 values, got 5")]
    public void InconsistentDataIsRejectedWithTheField(string problem, string expected)
    {
        RunReportData data = ReportSamples.Full();
        data = problem switch
        {
            "classes" => data with { ConfusionMatrix = new int[3, 3] },
            "square" => data with { ConfusionMatrix = new int[10, 9] },
            "pixels" => data with { Misclassified = [new MisclassifiedSample(new float[10], 28, 28, 1, 2, 0.5)] },
            "label" => data with { Misclassified = [new MisclassifiedSample(new float[784], 28, 28, 1, 12, 0.5)] },
            "filters" => data with { FirstLayerFilters = new FilterBank(new float[749], 30, 1, 5, 5) },
            _ => data with { FeatureMaps = new FeatureMapSet(new float[5], 30, 24, 24) },
        };

        var error = Assert.Throws<ArgumentException>(() => RunReportRenderer.Render(data));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void WriteReplacesTheFileAtomically()
    {
        string folder = Directory.CreateTempSubdirectory("cnn-report-").FullName;
        try
        {
            string path = Path.Combine(folder, RunReport.FileName);
            RunReport.Write(path, new RunReportData { Title = "first" });
            RunReport.Write(path, ReportSamples.Full());

            Assert.Equal([path], Directory.GetFiles(folder));
            XDocument page = ReportSamples.Parse(File.ReadAllText(path));
            Assert.Equal(ReportSamples.Full().Title, page.ByName("h1").Single().Value);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SparseLossPointsArePlacedAtTheirStepsAndCaptionedAsMeans()
    {
        RunReportData data = ReportSamples.Full() with { StepLosses = [new StepLoss(30, 1.7), new StepLoss(60, 1.0), new StepLoss(90, 0.8), new StepLoss(120, 0.7)] };

        XDocument page = ReportSamples.Parse(RunReportRenderer.Render(data));

        XElement loss = page.ById("loss");
        // Four points are too few for the moving average, which would mostly average mirrored values.
        Assert.Equal(["mean loss between points"],
            loss.ByName("g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!));
        Assert.Contains("since the previous one", loss.ByName("figcaption").Single().Value);
        Assert.Contains("no moving average is drawn", loss.ByName("figcaption").Single().Value);
        // The x axis spans the steps (ticks up to 120), not the point indices 1…4.
        Assert.Contains(loss.ByName("text"), t => t.Value == "120");
    }

    [Fact]
    public void A_long_loss_series_gets_its_moving_average_and_no_book_jargon()
    {
        RunReportData data = ReportSamples.Full() with { StepLosses = Steps([.. Enumerable.Range(0, 30).Select(i => 2.0 / (1 + i))]) };

        string html = RunReportRenderer.Render(data);
        XElement loss = ReportSamples.Parse(html).ById("loss");

        Assert.Equal(["loss per mini-batch", "moving average (11 points)"],
            loss.ByName("g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!));
        foreach (string jargon in (string[])["smooth_curve", "filter_show", "gray_r", "the book"])
            Assert.DoesNotContain(jargon, html);
        // The average is drawn only where its 11-point window holds measured values: steps 6…25 of 30.
        string average = (string)loss.ByName("path").ElementAt(1).Attribute("d")!;
        Assert.Equal(20, average.Count(ch => ch is 'M' or 'L'));
        string[] raw = ((string)loss.ByName("path").First().Attribute("d")!).Split(' ');
        Assert.Equal(raw[5][1..].Split(',')[0], average.Split(' ')[0][1..].Split(',')[0]);
        Assert.Contains("not over the first and last 5", loss.ByName("figcaption").Single().Value);
    }

    [Fact]
    public void The_confusion_matrix_labels_both_axes()
    {
        string html = RunReportRenderer.Render(ReportSamples.Full());

        Assert.Contains(">true class</text>", html);
        Assert.Contains(">predicted class</text>", html);
    }

    private static StepLoss[] Steps(params double[] losses) => [.. losses.Select((loss, i) => new StepLoss(i + 1, loss))];

    private static RasterImage Decode(XElement img)
    {
        string src = (string)img.Attribute("src")!;
        return ImageFile.Decode(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
    }
}
