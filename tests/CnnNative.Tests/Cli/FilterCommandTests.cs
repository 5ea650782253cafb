using System.Xml.Linq;
using CnnNative.Cli;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Filters;
using CnnNative.Tests.Data;
using CnnNative.Tests.Reference;
using CnnNative.Tests.Report;

using CnnNative.Tests.Imaging;

namespace CnnNative.Tests.Cli;

/// <summary>`cnn filter` through the configured (managed) provider: kernels by name, from JSON, the list, the gallery and bad input.</summary>
public sealed class FilterCommandTests : IDisposable
{
    private readonly CliHarness _cli = TrainedRunFixture.NewCli();
    private readonly TempFolder _dir = new("filter-cli");
    private readonly string _input;

    /// <summary>A 6×5 gray image: a dark left half, a bright right half, and one bright dot.</summary>
    private static readonly byte[] Pixels =
    [
        10, 10, 10, 200, 200, 200,
        10, 10, 10, 200, 200, 200,
        10, 90, 10, 200, 200, 200,
        10, 10, 10, 200, 200, 200,
        10, 10, 10, 200, 200, 200,
    ];

    public FilterCommandTests()
    {
        _input = _dir.File("in.png");
        ImageFile.Save(_input, new GrayImage(6, 5, Pixels));
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    private static byte[] Expected(ImageKernel kernel)
    {
        using var reference = new ReferenceProvider();
        return ImageFilter.Apply(reference, kernel, Pixels, 6, 5);
    }

    [Fact]
    public void Filter_writes_the_sobel_result_computed_by_hand()
    {
        string output = _dir.File("sobel.png");

        var r = _cli.Run("filter", "--kernel", "sobel-x", _input, output);

        CliAssert.Succeeded(r);
        Assert.Equal($"wrote {output}: 6×5 gray, sobel-x (3×3) on managed", r.Out.Trim());
        RasterImage result = ImageFile.Load(output);
        Assert.Equal((6, 5, PixelLayout.Gray), (result.Width, result.Height, result.Layout));
        // Row 0 by hand: the kernel's top row falls on the zero padding, its middle row (−2 0 2)
        // on row 0 and its bottom row (−1 0 1) on row 1.
        byte[] row0 =
        [
            30,   // x=0: right column 10·2 + 10·1 (row 1), left is padding
            0,    // x=1: 10s on both sides cancel
            255,  // x=2: (200·2 + 200) − (10·2 + 10) = 570, clipped
            255,  // x=3: (200·2 + 200) − (10·2 + 10) = 570, clipped
            0,    // x=4: 200s cancel
            0,    // x=5: −(200·2 + 200) against padding, clipped at 0
        ];
        Assert.Equal(row0, result.Pixels[..6]);
        // Row 2, x=0: column 1 holds 10, the dot 90 and 10 (weights 1, 2, 1); column −1 is padding.
        Assert.Equal(90 * 2 + 10 + 10, result.Pixels[2 * 6 + 0]);
        Assert.Equal(Expected(ClassicKernels.SobelX), result.Pixels);
    }

    [Fact]
    public void Filter_takes_seed_names_custom_json_kernels_and_writes_pgm()
    {
        string pgm = _dir.File("laplace.pgm");
        CliAssert.Succeeded(_cli.Run("filter", "-k", "拉普拉斯", _input, pgm));
        Assert.True(PgmCodec.IsPgm(File.ReadAllBytes(pgm)));
        Assert.Equal(Expected(ClassicKernels.Laplacian), ImageFile.Load(pgm).Pixels);

        string json = _dir.File("ridge.json");
        File.WriteAllText(json, """{ "name": "ridge", "kernel": [[0, -1, 0], [-1, 4, -1], [0, -1, 0]] }""");
        string output = _dir.File("ridge.png");
        var r = _cli.Run("filter", "--kernel-file", json, _input, output);
        CliAssert.Succeeded(r);
        Assert.Contains("ridge (3×3)", r.Out);
        Assert.Equal(Expected(KernelJson.Load(json)), ImageFile.Load(output).Pixels);
    }

    [Fact]
    public void List_shows_every_classic_kernel()
    {
        var r = _cli.Run("filter", "--list");

        CliAssert.Succeeded(r);
        foreach (ImageKernel kernel in ClassicKernels.All)
            Assert.Matches($@"(?m)^{kernel.Name}\s+{kernel.Height}×{kernel.Width}  {System.Text.RegularExpressions.Regex.Escape(kernel.Description)}$", r.Out.Replace("\r", ""));
        Assert.Contains("--kernel-file", r.Out);
    }

    [Fact]
    public void Gallery_shows_the_original_and_every_kernel()
    {
        string json = _dir.File("ridge.json");
        File.WriteAllText(json, """{ "name": "ridge", "kernel": [[0, -1, 0], [-1, 4, -1], [0, -1, 0]] }""");
        string page = _dir.File("gallery.html");

        var r = _cli.Run("filter", "--gallery", page, "--kernel-file", json, _input);

        CliAssert.Succeeded(r);
        Assert.Contains("through 11 kernels on managed", r.Out);
        XDocument html = ReportSamples.Parse(File.ReadAllText(page));
        var figures = html.ByName("figure").ToList();
        Assert.Equal(12, figures.Count); // the original, ten classic kernels, the custom one
        Assert.Equal("kernel-original", (string?)figures[0].Attribute("id"));
        Assert.Equal("kernel-ridge", (string?)figures[^1].Attribute("id"));
        XElement sobel = html.ById("kernel-sobel-x");
        string src = (string)sobel.ByName("img").Single().Attribute("src")!;
        RasterImage shown = ImageFile.Decode(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
        int scale = shown.Width / 6;
        byte[] expected = Expected(ClassicKernels.SobelX);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 6; x++)
                Assert.Equal(expected[y * 6 + x], shown.Pixels[y * scale * shown.Width + x * scale]);
    }

    [Theory]
    [InlineData("im_rgb8.jpg", "out.jpg")]
    [InlineData("im_rgb8_lossless.webp", "out.png")]
    [InlineData("im_palette8.gif", "out.pgm")]
    [InlineData("py_rgba16.png", "out.jpeg")]
    public void Filter_reads_every_format_and_writes_png_jpeg_or_pgm(string fixture, string outputName)
    {
        string input = ForeignPngFixtures.PathOf(fixture);
        string output = _dir.File(fixture + "-" + outputName);

        CliAssert.Succeeded(_cli.Run("filter", "-k", "mean", "--background", "black", input, output));

        RasterImage source = ImageFile.Load(input), result = ImageFile.Load(output);
        // Colour stays colour (channel by channel) except in PGM, which is gray only.
        bool colour = source.Layout is PixelLayout.Rgb or PixelLayout.Rgba && !outputName.EndsWith(".pgm", StringComparison.Ordinal);
        // (A colour file decodes as RGBA, opaque.)
        Assert.Equal((source.Width, source.Height, colour ? PixelLayout.Rgba : PixelLayout.Gray), (result.Width, result.Height, result.Layout));
    }

    [Fact]
    public void Signed_output_shows_both_edge_directions_as_magnitude_or_a_diverging_map()
    {
        string abs = _dir.File("abs.png"), diverging = _dir.File("diverging.png");
        var r = _cli.Run("filter", "--kernel", "sobel-x", "--signed", "abs", _input, abs);
        CliAssert.Succeeded(r);
        Assert.EndsWith("on managed, |response|", r.Out.Trim());
        // Row 0, x=5: −(200·2 + 200) against the padding is −600: black when clipped, 255 as |response|.
        using var reference = new ReferenceProvider();
        var values = Pixels.Select(p => (float)p).ToArray();
        float[] responses = ImageFilter.Correlate(reference, ClassicKernels.SobelX, values, 6, 5);
        Assert.Equal(responses.Select(v => ImageFilter.ClipToByte(MathF.Abs(v))), ImageFile.Load(abs).Pixels);
        Assert.Equal(255, ImageFile.Load(abs).Pixels[5]);

        CliAssert.Succeeded(_cli.Run("filter", "--kernel", "sobel-x", "--signed", "diverging", _input, diverging));
        RasterImage map = ImageFile.Load(diverging);
        Assert.Equal(PixelLayout.Rgba, map.Layout); // colour PNGs decode as opaque RGBA
        int n = map.Channels;
        // Scaled to the 99th percentile of |response|: index ⌊0.99 · 29⌋ = 28 of the 30 sorted magnitudes.
        float largest = responses.Select(MathF.Abs).Order().ElementAt(28);
        for (int i = 0; i < responses.Length; i++)
        {
            var (red, green, blue) = (map.Pixels[n * i], map.Pixels[n * i + 1], map.Pixels[n * i + 2]);
            byte fade = (byte)MathF.Round(255f * (1f - Math.Min(1f, MathF.Abs(responses[i]) / largest)));
            Assert.Equal(responses[i] < 0 ? (fade, fade, (byte)255) : ((byte)255, fade, fade), (red, green, blue));
        }
        int darkest = Array.IndexOf(responses, responses.Min());
        Assert.Equal(((byte)0, (byte)0, (byte)255), (map.Pixels[darkest * n], map.Pixels[darkest * n + 1], map.Pixels[darkest * n + 2])); // the most negative: full blue

        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "sobel-x", "--signed", "both", _input, _dir.File("x.png")), "--signed must be abs or diverging", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "sobel-x", "--signed", "diverging", _input, _dir.File("x.pgm")), "draws in colour", ExitCodes.Usage);
    }

    [Fact]
    public void A_colour_image_is_filtered_channel_by_channel_and_stays_in_colour()
    {
        // Red rises to the right, blue to the left: sobel-x with --signed abs finds the same edge in both.
        var rgb = new byte[6 * 5 * 3];
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 6; x++)
                (rgb[(y * 6 + x) * 3], rgb[(y * 6 + x) * 3 + 1], rgb[(y * 6 + x) * 3 + 2]) = ((byte)(x < 3 ? 10 : 200), (byte)50, (byte)(x < 3 ? 200 : 10));
        string input = _dir.File("colour.png"), output = _dir.File("colour-out.png");
        ImageFile.Save(input, new RasterImage(6, 5, PixelLayout.Rgb, rgb));

        var r = _cli.Run("filter", "-k", "sobel-x", "--signed", "abs", input, output);
        CliAssert.Succeeded(r);
        Assert.Contains("6×5 colour, sobel-x", r.Out);
        RasterImage result = ImageFile.Load(output);
        Assert.Equal(PixelLayout.Rgba, result.Layout); // colour PNGs decode as opaque RGBA
        int n = result.Channels;
        using var reference = new ReferenceProvider();
        for (int c = 0; c < 3; c++)
        {
            float[] channel = Enumerable.Range(0, 30).Select(i => (float)rgb[3 * i + c]).ToArray();
            var expected = ImageFilter.Correlate(reference, ClassicKernels.SobelX, channel, 6, 5).Select(v => ImageFilter.ClipToByte(MathF.Abs(v)));
            Assert.Equal(expected, Enumerable.Range(0, 30).Select(i => result.Pixels[n * i + c]));
        }
        Assert.Equal(result.Pixels[n * 8], result.Pixels[n * 8 + 2]); // the red and blue edges are equally strong at x=2
    }

    public static TheoryData<string, byte[], string> BadImages() => BadImageFiles.Cases();

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Filter_rejects_a_bad_image_with_one_sentence_and_writes_nothing(string name, byte[] content, string expected)
    {
        string folder = _dir.File("bad-" + Path.GetFileNameWithoutExtension(name));
        Directory.CreateDirectory(folder);
        string bad = Path.Combine(folder, name);
        File.WriteAllBytes(bad, content);

        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", bad, Path.Combine(folder, "out.png")), expected);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "--gallery", Path.Combine(folder, "g.html"), bad), expected);
        CliAssert.FolderHolds(folder, name);
    }

    [Fact]
    public void Filter_explains_bad_kernels_and_options_and_writes_nothing()
    {
        string folder = _dir.File("out");
        Directory.CreateDirectory(folder);
        string output = Path.Combine(folder, "out.png");

        string unknown = CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "blur", _input, output), "Unknown kernel 'blur'", ExitCodes.Usage);
        Assert.Contains("sobel-x", unknown);
        string even = _dir.File("even.json");
        File.WriteAllText(even, """{ "name": "even", "kernel": [[1, 1], [1, 1]] }""");
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "--kernel-file", even, _input, output), "even.json");
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", "--kernel-file", even, _input, output), "not both", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", _input, output), "Say which kernel", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", _input), "Give the image to filter and where", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", _input, Path.Combine(folder, "out.gif")), "must be an image path ending in .png, .jpg or .pgm", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "--list", "-k", "mean"), "--list takes no image", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "--gallery", Path.Combine(folder, "g.html"), _input, output), "takes only the input image", ExitCodes.Usage);
        CliAssert.FolderHolds(folder);
    }

    [Fact]
    public void Filter_refuses_outputs_that_cannot_be_written_and_leaves_nothing_behind()
    {
        string folder = _dir.File("target");
        Directory.CreateDirectory(folder);

        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", _input, Path.Combine(folder, "missing", "out.png")), "does not exist; create it");
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", _input, Path.Combine(_input, "out.png")), "is a file, not a folder");
        Directory.CreateDirectory(Path.Combine(folder, "dir.png"));
        CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", _input, Path.Combine(folder, "dir.png")), "it is a folder");
        CliAssert.FolderHolds(folder, "dir.png");

        // A folder that exists but takes no files (procfs refuses them even to root): the atomic write fails and cleans up.
        if (Directory.Exists("/proc/self"))
        {
            string line = CliAssert.FailedWithOneSentence(_cli.Run("filter", "-k", "mean", _input, "/proc/self/out.png"), "Cannot write '/proc/self/out.png'");
            Assert.DoesNotContain(".tmp", line);
        }
    }
}
