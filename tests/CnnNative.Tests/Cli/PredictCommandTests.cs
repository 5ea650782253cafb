using System.Globalization;
using System.Text.RegularExpressions;
using CnnNative.Cli;
using CnnNative.Data.Imaging;
using CnnNative.Tests.Data;
using CnnNative.Tests.Imaging;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Cli;

/// <summary>`cnn predict` on images and IDX samples, with the tiny run's checkpoint (8×8 inputs, Fashion-MNIST names).</summary>
[Collection(TrainedRunCollection.Name)]
public sealed partial class PredictCommandTests(TrainedRunFixture run) : IDisposable
{
    private readonly CliHarness _cli = TrainedRunFixture.NewCli();
    private readonly TempFolder _dir = new("predict-cli");

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    private static readonly string[] Names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Test sample <paramref name="index"/> as 8×8 bytes and its label.</summary>
    private static (byte[] Pixels, int Label) Sample(int index)
    {
        var (pixels, labels) = SyntheticData.Bytes(120, 2);
        return (pixels.AsSpan(index * 64, 64).ToArray(), labels[index]);
    }

    /// <summary>Each image's block: its name line, then (class, percent) per ranked line.</summary>
    private static List<(string Name, List<(string Class, double Percent)> Top)> Blocks(string output)
    {
        var blocks = new List<(string, List<(string, double)>)>();
        foreach (string line in output.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("provider: ", StringComparison.Ordinal) || line.StartsWith("checkpoint: ", StringComparison.Ordinal)) continue;
            Match m = Ranked().Match(line);
            if (!m.Success)
            {
                blocks.Add((line, []));
                continue;
            }
            Assert.Equal(blocks[^1].Item2.Count + 1, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            blocks[^1].Item2.Add((m.Groups[2].Value.TrimEnd(), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        }
        return blocks;
    }

    [GeneratedRegex(@"^  (\d+)\. (.+?)\s+(\d+\.\d\d)%$")]
    private static partial Regex Ranked();

    [Fact]
    public void Predict_prints_the_top_three_classes_of_an_idx_sample_with_its_label()
    {
        var r = _cli.Run("predict", "--checkpoint", run.Checkpoint, "--idx", Path.Combine(run.Data, "t10k-images-idx3-ubyte"), "--index", "5");

        CliAssert.Succeeded(r);
        Assert.Equal("", r.Err);
        var block = Assert.Single(Blocks(r.Out));
        Assert.Equal($"{Path.Combine(run.Data, "t10k-images-idx3-ubyte")} #5 (label: {Names[Sample(5).Label]})", block.Name);
        Assert.Equal(3, block.Top.Count);
        Assert.True(block.Top[0].Percent >= block.Top[1].Percent && block.Top[1].Percent >= block.Top[2].Percent);
        Assert.InRange(block.Top.Sum(t => t.Percent), 0, 100.02);
        Assert.All(block.Top, t => Assert.Contains(t.Class, Names));
    }

    [Fact]
    public void Predict_classifies_png_and_pgm_files_like_the_samples_they_hold()
    {
        var args = new List<string> { "predict", "-c", run.Checkpoint, "--no-preprocess" };
        for (int i = 0; i < 12; i++)
        {
            var (pixels, _) = Sample(i);
            string path = _dir.File(i % 2 == 0 ? $"s{i}.png" : $"s{i}.pgm");
            ImageFile.Save(path, new GrayImage(8, 8, pixels));
            args.Add(path);
        }

        var r = _cli.Run([.. args]);

        CliAssert.Succeeded(r);
        var blocks = Blocks(r.Out);
        Assert.Equal(12, blocks.Count);
        int right = 0;
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(args[i + 4], blocks[i].Name);
            if (blocks[i].Top[0].Class == Names[Sample(i).Label]) right++;
        }
        Assert.True(right >= 10, $"{right} of 12 right"); // the run's test accuracy is above 90 %

        // The same sample through --idx gives the same numbers as through an image file.
        var idx = Blocks(_cli.Run("predict", "-c", run.Checkpoint, "--idx", Path.Combine(run.Data, "t10k-images-idx3-ubyte"), "--index", "0").Out);
        Assert.Equal(blocks[0].Top, idx[0].Top);
    }

    [Fact]
    public void Preprocessing_turns_a_large_colour_photo_into_the_model_input_and_invert_flips_it()
    {
        // A 40×24 RGB picture: a light diagonal bar on a dark, slightly red background.
        var rgb = new byte[40 * 24 * 3];
        for (int y = 0; y < 24; y++)
            for (int x = 0; x < 40; x++)
            {
                bool bar = Math.Abs(x - 10 - y) < 4;
                rgb[(y * 40 + x) * 3] = (byte)(bar ? 250 : 20);
                rgb[(y * 40 + x) * 3 + 1] = (byte)(bar ? 240 : 5);
                rgb[(y * 40 + x) * 3 + 2] = (byte)(bar ? 230 : 5);
            }
        string photo = _dir.File("photo.png");
        ImageFile.Save(photo, new RasterImage(40, 24, PixelLayout.Rgb, rgb));

        // What predict should feed the network: gray, MNIST-style into the 8×8 field (box 6 = 8·20/28 rounded).
        GrayImage gray = ImageFile.LoadGray(photo);
        float[] expected = MnistPreprocessor.Preprocess(gray, new MnistPreprocessOptions { FieldSize = 8, BoxSize = 6 });
        string prepared = _dir.File("prepared.pgm");
        ImageFile.Save(prepared, GrayImage.FromFloats(8, 8, expected));

        var direct = _cli.Run("predict", "-c", run.Checkpoint, photo);
        var viaFile = _cli.Run("predict", "-c", run.Checkpoint, "--no-preprocess", prepared);
        CliAssert.Succeeded(direct);
        CliAssert.Succeeded(viaFile);
        Assert.Equal("", direct.Err);
        AssertClose(Blocks(viaFile.Out)[0].Top, Blocks(direct.Out)[0].Top); // the PGM holds the input rounded to 8 bits

        // --box 8 fills the field, as Fashion-MNIST's photos do.
        string filled = _dir.File("filled.pgm");
        ImageFile.Save(filled, GrayImage.FromFloats(8, 8, MnistPreprocessor.Preprocess(gray, new MnistPreprocessOptions { FieldSize = 8, BoxSize = 8 })));
        var boxed = _cli.Run("predict", "-c", run.Checkpoint, "--box", "8", photo);
        CliAssert.Succeeded(boxed);
        AssertClose(Blocks(_cli.Run("predict", "-c", run.Checkpoint, "--no-preprocess", filled).Out)[0].Top, Blocks(boxed.Out)[0].Top);

        // The negative of the photo with --invert is the photo itself.
        var negative = new byte[rgb.Length];
        for (int i = 0; i < rgb.Length; i++) negative[i] = (byte)(255 - rgb[i]);
        string dark = _dir.File("negative.png");
        ImageFile.Save(dark, new RasterImage(40, 24, PixelLayout.Rgb, negative));
        var inverted = _cli.Run("predict", "-c", run.Checkpoint, "--invert", dark);
        CliAssert.Succeeded(inverted);
        Assert.Equal(Blocks(direct.Out)[0].Top, Blocks(inverted.Out)[0].Top);

        // Without --invert the negative gets a hint on standard error (and is still classified).
        var hinted = _cli.Run("predict", "-c", run.Checkpoint, "--top", "2", dark);
        CliAssert.Succeeded(hinted);
        Assert.Contains("looks like dark on a light background", Assert.Single(hinted.ErrLines));
        Assert.Equal(2, Blocks(hinted.Out)[0].Top.Count);
    }

    private static void AssertClose(List<(string Class, double Percent)> expected, List<(string Class, double Percent)> actual)
    {
        Assert.Equal(expected.Select(t => t.Class), actual.Select(t => t.Class));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Percent, actual[i].Percent, 0.5);
    }

    public static TheoryData<string, byte[], string> BadImages() => BadImageFiles.Cases();

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Predict_reports_a_bad_image_in_one_sentence_classifies_the_others_and_fails_at_the_end(string name, byte[] content, string expected)
    {
        string good = _dir.File("good.png");
        ImageFile.Save(good, new GrayImage(8, 8, Sample(0).Pixels));
        string bad = _dir.File(name);
        File.WriteAllBytes(bad, content);

        var r = _cli.Run("predict", "-c", run.Checkpoint, "--no-preprocess", good, bad, good);

        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.Equal([good, good], Blocks(r.Out).Select(b => b.Name));
        Assert.Equal(2, r.ErrLines.Length);
        Assert.StartsWith($"cnn: {bad}: ", r.ErrLines[0]);
        Assert.Contains(expected, r.ErrLines[0]);
        ImageBadInputTests.AssertOneSentence(r.ErrLines[0], name);
        Assert.Equal("cnn: 1 of 3 inputs could not be classified.", r.ErrLines[1]);
    }

    [Fact]
    public void Predict_classifies_jpeg_webp_bmp_and_gif_files()
    {
        var args = new List<string> { "predict", "-c", run.Checkpoint, "--no-preprocess" };
        foreach (string fixture in new[] { "im_rgb8.jpg", "im_rgb8_lossless.webp", "im_rgb8.bmp", "im_palette8.gif", "py_rgb8_interlaced.png", "py_gray16.png" })
            args.Add(ForeignPngFixtures.PathOf(fixture));

        var r = _cli.Run([.. args]);

        CliAssert.Succeeded(r);
        Assert.Equal(args.Skip(4), Blocks(r.Out).Select(b => b.Name));
    }

    [Fact]
    public void Predict_explains_wrong_usage()
    {
        string idx = Path.Combine(run.Data, "t10k-images-idx3-ubyte");
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint), "Give one or more IMAGE files", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, "--idx", idx), "--idx needs --index N", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, "--index", "3"), "--index needs --idx FILE", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, "--idx", idx, "--index", "120"),
            "--index 120 is outside", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, "--top", "0", idx), "--top must be at least 1", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, "--box", "9", idx), "--box must be between 1 and the model's input size 8", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, "--box", "8", "--no-preprocess", idx), "give one of them", ExitCodes.Usage);

        string black = _dir.File("black.png");
        ImageFile.Save(black, new GrayImage(30, 30));
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "-c", run.Checkpoint, black), "The image has no ink");
        // No --checkpoint, and no run in the runs folder to default to.
        CliAssert.FailedWithOneSentence(_cli.Run("predict", "x.png"), "No --checkpoint given and no trained run in", ExitCodes.Usage);
    }

    [Fact]
    public void Without_a_checkpoint_predict_uses_the_newest_run_and_says_which_and_the_provider()
    {
        string older = Path.Combine(_cli.RunsFolder, "tiny-20260101-000000");
        string newer = Path.Combine(_cli.RunsFolder, "tiny-20260102-000000");
        Directory.CreateDirectory(older);
        Directory.CreateDirectory(newer);
        Directory.CreateDirectory(Path.Combine(_cli.RunsFolder, "not-a-run")); // no checkpoint: passed over
        File.Copy(run.Checkpoint, Path.Combine(older, "model.safetensors"));
        File.Copy(run.Checkpoint, Path.Combine(newer, "model.safetensors"));
        File.SetLastWriteTimeUtc(Path.Combine(older, "model.safetensors"), new DateTime(2026, 1, 3, 0, 0, 0, DateTimeKind.Utc)); // trained last
        File.SetLastWriteTimeUtc(Path.Combine(newer, "model.safetensors"), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        string idx = Path.Combine(run.Data, "t10k-images-idx3-ubyte");

        var r = _cli.Run("predict", "--idx", idx, "--index", "5");
        var named = _cli.Run("predict", "-c", run.Checkpoint, "--idx", idx, "--index", "5");

        CliAssert.Succeeded(r);
        string[] lines = r.Out.Split('\n');
        Assert.Equal($"checkpoint: {Path.Combine(older, "model.safetensors")} (the newest run in {_cli.RunsFolder}/; choose another with --checkpoint)", lines[0]);
        Assert.StartsWith("provider: managed on ", lines[1]);
        Assert.StartsWith("provider: managed on ", named.Out);
        Assert.DoesNotContain("checkpoint:", named.Out);
        Assert.Equal(Blocks(named.Out), Blocks(r.Out), BlocksEqual);
    }

    private static bool BlocksEqual((string Name, List<(string Class, double Percent)> Top) a, (string Name, List<(string Class, double Percent)> Top) b) =>
        a.Name == b.Name && a.Top.SequenceEqual(b.Top);
}
