using CnnNative.Cli.Report;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Filters;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Report;

/// <summary>The report and the filter gallery as a browser shows them: headless Chromium loads the file and draws it.</summary>
public sealed class ChromiumReportTests : IDisposable
{
    private readonly TempFolder _dir = new("chromium");

    public void Dispose() => _dir.Dispose();

    [ChromiumFact]
    public void ReportRendersToAScreenshotWithChartsHeldOutLossAndHeatMap()
    {
        string page = _dir.File("report.html");
        RunReport.Write(page, ReportSamples.Full() with { Epochs = ReportSamples.EpochsWithHeldOutLoss(), CompareLink = "../compare.html" });
        string png = _dir.File("report.png");

        Chromium.Screenshot(page, png, 1280, 2000);

        RasterImage shot = ImageFile.Decode(File.ReadAllBytes(png));
        Assert.Equal((1280, 2000), (shot.Width, shot.Height));
        int levels = 0, blue = 0, red = 0;
        var seen = new bool[256];
        for (int i = 0; i < shot.Width * shot.Height; i++)
        {
            var (r, g, b) = Pixel(shot, i);
            if (!seen[GrayImage.Luma(r, g, b)]) { seen[GrayImage.Luma(r, g, b)] = true; levels++; }
            if (b > r + 80 && b > g + 30) blue++;  // curves, confusion diagonal, links
            if (r > g + 80 && r > b + 80) red++;   // the heat map's mistakes, the orange test curves
        }
        Assert.True(levels > 100, $"only {levels} gray levels: the page looks blank");
        Assert.True(blue > 2000, $"{blue} blue pixels: the charts and the matrix diagonal are missing");
        Assert.True(red > 2000, $"{red} red pixels: the heat map is missing");
        // The validation curves (green, on the loss-per-epoch and accuracy charts) are drawn.
        Assert.True(Near(shot, LearningCurves.Green) > 150, $"{Near(shot, LearningCurves.Green)} green pixels: the validation curves are missing");
    }

    [ChromiumFact]
    public void ReportDomHasEverySectionAndImageAfterLoading()
    {
        string page = _dir.File("report.html");
        RunReport.Write(page, ReportSamples.Full() with { Epochs = ReportSamples.EpochsWithHeldOutLoss() });

        string dom = Chromium.DumpDom(page);

        foreach (string id in new[] { "curves", "loss", "epoch-loss", "accuracy", "metrics", "confusion", "misclassified", "filters", "feature-maps", "settings" })
            Assert.Contains($"id=\"{id}\"", dom);
        Assert.Equal(5 + 30 + 1 + 30, CountOf(dom, "<img "));
        Assert.Equal(4, CountOf(dom, "<svg "));
        Assert.Contains("Shirt", dom);
        Assert.Contains(">true class</text>", dom);
        Assert.Contains(">predicted class</text>", dom);
        Assert.Contains("data-name=\"validation\"", dom);
    }

    [ChromiumFact]
    public void ComparePageRendersEveryRunInItsOwnColour()
    {
        RunSummary[] runs =
        [
            Summary("adam-0.001", 0.80, 0.62),
            Summary("sgd-0.1", 0.70, 0.90),
            Summary("momentum-0.01", 0.75, 0.75),
        ];
        string page = _dir.File("compare.html");
        File.WriteAllText(page, ComparePage.Render(runs, run => $"{run.Name}/report.html", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        string png = _dir.File("compare.png");

        string dom = Chromium.DumpDom(page);
        Chromium.Screenshot(page, png, 1280, 1100);

        foreach (string id in new[] { "test-accuracy", "training-loss", "test-loss", "validation-loss", "runs" })
            Assert.Contains($"id=\"{id}\"", dom);
        Assert.Equal(4, CountOf(dom, "<svg "));
        Assert.Equal(3, CountOf(dom, "class=\"swatch\""));
        RasterImage shot = ImageFile.Decode(File.ReadAllBytes(png));
        for (int r = 0; r < runs.Length; r++)
            Assert.True(Near(shot, ComparePage.Palette[r]) > 300, $"run {runs[r].Name}: only {Near(shot, ComparePage.Palette[r])} pixels of its colour {ComparePage.Palette[r]}");
    }

    /// <summary>A three-epoch run whose test accuracy climbs towards <paramref name="accuracy"/> and loss falls from <paramref name="loss"/>.</summary>
    private static RunSummary Summary(string name, double accuracy, double loss) => new()
    {
        Folder = $"/runs/{name}",
        ModelName = "simple-conv",
        Epochs =
        [
            .. Enumerable.Range(1, 3).Select(e => new CnnNative.Nn.Training.EpochMetrics(e, loss / e, accuracy - 0.1 / e, accuracy - 0.12 / e, 1000, 10)
            {
                TestLoss = loss / e + 0.05, ValidationLoss = loss / e + 0.03, ValidationAccuracy = accuracy - 0.11 / e,
            }),
        ],
    };

    private static (byte R, byte G, byte B) Pixel(RasterImage image, int i) =>
        (image.Pixels[i * image.Channels], image.Pixels[i * image.Channels + 1], image.Pixels[i * image.Channels + 2]);

    /// <summary>Pixels within a small distance of <paramref name="hex"/> (#rrggbb): lines and markers of that colour.</summary>
    private static int Near(RasterImage image, string hex)
    {
        int r0 = Convert.ToInt32(hex[1..3], 16), g0 = Convert.ToInt32(hex[3..5], 16), b0 = Convert.ToInt32(hex[5..7], 16);
        int count = 0;
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            var (r, g, b) = Pixel(image, i);
            if (Math.Abs(r - r0) + Math.Abs(g - g0) + Math.Abs(b - b0) < 40) count++;
        }
        return count;
    }

    [ChromiumFact]
    public void FilterGalleryRendersEveryKernel()
    {
        var pixels = new byte[64 * 48];
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
                pixels[y * 64 + x] = (byte)((x / 8 + y / 8) % 2 == 0 ? 40 : 220);
        var original = new GrayImage(64, 48, pixels);
        using var provider = new Reference.ReferenceProvider();
        var results = ClassicKernels.All
            .Select(k => new FilteredImage(k, new GrayImage(64, 48, ImageFilter.Apply(provider, k, pixels, 64, 48))))
            .ToList();
        string page = _dir.File("gallery.html");
        File.WriteAllText(page, FilterGalleryPage.Render("checkerboard", original, results));

        string dom = Chromium.DumpDom(page);

        Assert.Equal(11, CountOf(dom, "<img "));
        foreach (ImageKernel kernel in ClassicKernels.All)
            Assert.Contains($"id=\"kernel-{kernel.Name}\"", dom);
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
