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
    public void ReportRendersToAScreenshotWithChartsAndHeatMap()
    {
        string page = _dir.File("report.html");
        RunReport.Write(page, ReportSamples.Full());
        string png = _dir.File("report.png");

        Chromium.Screenshot(page, png, 1280, 2000);

        RasterImage shot = ImageFile.Decode(File.ReadAllBytes(png));
        Assert.Equal((1280, 2000), (shot.Width, shot.Height));
        int channels = shot.Channels, pixels = shot.Width * shot.Height;
        int levels = 0, blue = 0, red = 0;
        var seen = new bool[256];
        for (int i = 0; i < pixels; i++)
        {
            byte r = shot.Pixels[i * channels], g = shot.Pixels[i * channels + 1], b = shot.Pixels[i * channels + 2];
            if (!seen[GrayImage.Luma(r, g, b)]) { seen[GrayImage.Luma(r, g, b)] = true; levels++; }
            if (b > r + 80 && b > g + 30) blue++;  // curves, confusion diagonal, links
            if (r > g + 80 && r > b + 80) red++;   // the heat map's mistakes, the orange test curve
        }
        Assert.True(levels > 100, $"only {levels} gray levels: the page looks blank");
        Assert.True(blue > 2000, $"{blue} blue pixels: the charts and the matrix diagonal are missing");
        Assert.True(red > 2000, $"{red} red pixels: the heat map is missing");
    }

    [ChromiumFact]
    public void ReportDomHasEverySectionAndImageAfterLoading()
    {
        string page = _dir.File("report.html");
        RunReport.Write(page, ReportSamples.Full());

        string dom = Chromium.DumpDom(page);

        foreach (string id in new[] { "curves", "loss", "accuracy", "metrics", "confusion", "misclassified", "filters", "feature-maps", "settings" })
            Assert.Contains($"id=\"{id}\"", dom);
        Assert.Equal(5 + 30 + 1 + 30, CountOf(dom, "<img "));
        Assert.Equal(3, CountOf(dom, "<svg "));
        Assert.Contains("Shirt", dom);
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
