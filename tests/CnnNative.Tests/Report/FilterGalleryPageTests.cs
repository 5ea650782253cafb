using System.Xml.Linq;
using CnnNative.Cli.Report;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Filters;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Report;

public sealed class FilterGalleryPageTests
{
    [Fact]
    public void GalleryShowsTheOriginalAndEveryKernelWithItsCoefficients()
    {
        var original = new GrayImage(16, 12);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 16; x++)
                original[x, y] = (byte)(x is > 4 and < 11 && y is > 2 and < 9 ? 220 : 30);
        using var provider = new ReferenceProvider();
        var results = KernelRegistry.Classic.Kernels
            .Select(k => new FilteredImage(k, new GrayImage(16, 12, ImageFilter.Apply(provider, k, original.Pixels, 16, 12))))
            .ToList();

        XDocument page = ReportSamples.Parse(FilterGalleryPage.Render("Filters of <test>", original, results));

        Assert.Equal("Filters of <test>", page.ByName("h1").Single().Value);
        Assert.NotNull(page.ById("kernel-original"));
        foreach (ImageKernel kernel in KernelRegistry.Classic.Kernels)
        {
            XElement figure = page.ById("kernel-" + kernel.Name);
            Assert.Equal(kernel.Height, figure.ByName("tr").Count());
            Assert.Equal(kernel.Height * kernel.Width, figure.ByName("td").Count());
        }
        XElement gaussian = page.ById("kernel-gaussian-3x3");
        Assert.Equal("4", gaussian.ByName("td").ElementAt(4).Value); // shown as the seed writes it: 1/16 × [[1,2,1],[2,4,2],[1,2,1]]
        Assert.Contains("1/16 ×", gaussian.Value);
        Assert.Contains("1/256 ×", page.ById("kernel-gaussian-5x5").Value);
        Assert.DoesNotContain("1/", page.ById("kernel-sobel-x").Value);
        var images = page.ByName("img").ToList();
        Assert.Equal(11, images.Count);
        RasterImage laplacian = ImageFile.Decode(Convert.FromBase64String(((string)page.ById("kernel-laplacian").ByName("img").Single().Attribute("src")!)[22..]));
        Assert.Equal(16 * 10, laplacian.Width); // 160 / 16 = ×10, nearest neighbour
    }

    [Fact]
    public void ResultOfAnotherSizeIsRejected()
    {
        var original = new GrayImage(4, 4);
        var error = Assert.Throws<ArgumentException>(() =>
            FilterGalleryPage.Render("x", original, [new FilteredImage(ClassicKernels.Mean, new GrayImage(3, 3))]));
        Assert.Contains("keep the original's size", error.Message);
    }
}
