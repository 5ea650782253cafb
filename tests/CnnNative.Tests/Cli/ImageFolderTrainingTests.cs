using CnnNative.Cli;
using CnnNative.Data.Imaging;
using CnnNative.Tests.Data;
using CnnNative.Tests.Imaging;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Cli;

/// <summary>`cnn train`, `eval`, `predict` and the report on a folder of colour JPEG/PNG/WebP class folders.</summary>
public sealed class ImageFolderTrainingTests : IDisposable
{
    private readonly TempFolder _dir = new("imagefolder-cli");
    private readonly CliHarness _cli = TrainedRunFixture.NewCli();

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    /// <summary>A 12×12 picture of one colour (the class) with a lighter square at a per-image place.</summary>
    private static RasterImage Picture(int label, int index)
    {
        var rgb = new byte[12 * 12 * 3];
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 12; x++)
            {
                bool spot = Math.Abs(x - index % 9 - 1) < 2 && Math.Abs(y - index / 3 % 9 - 1) < 2;
                for (int c = 0; c < 3; c++)
                    rgb[(y * 12 + x) * 3 + c] = (byte)((c == label ? 200 : 30) + (spot ? 40 : 0));
            }
        return new RasterImage(12, 12, PixelLayout.Rgb, rgb);
    }

    private string MakeFolder()
    {
        string root = _dir.File("photos");
        string[] names = ["red", "green", "blue"];
        foreach (var (split, count) in new[] { ("train", 30), ("test", 6) })
            for (int c = 0; c < 3; c++)
            {
                string folder = Path.Combine(root, split, names[c]);
                Directory.CreateDirectory(folder);
                for (int i = 0; i < count; i++)
                {
                    RasterImage picture = Picture(c, i);
                    if (i % 2 == 0) File.WriteAllBytes(Path.Combine(folder, $"{i}.jpg"), ImageFixtures.Jpeg(picture));
                    else ImageFile.Save(Path.Combine(folder, $"{i}.png"), picture);
                }
            }
        return root;
    }

    [Fact]
    public void A_colour_model_trains_on_a_folder_of_jpegs_and_pngs_and_predict_eval_and_report_use_its_channels()
    {
        string data = MakeFolder();
        string model = _dir.File("tiny.json");
        File.WriteAllText(model, SyntheticData.ModelJson(3));
        string run = _dir.File("run");

        var trained = _cli.Run("train", "--model", model, "--data", data, "--channels", "3", "--image-size", "8",
            "--epochs", "3", "--batch-size", "10", "--lr", "0.01", "--output", run);

        CliAssert.Succeeded(trained);
        Assert.Contains("input 3×8×8, 3 classes", trained.Out);
        Assert.Contains("decoding images [##########] 108/108", trained.Err);
        string checkpoint = Path.Combine(run, "model.safetensors");

        var eval = _cli.Run("eval", "--checkpoint", checkpoint, "--data", data);
        CliAssert.Succeeded(eval);
        Assert.Contains("(18 test images)", eval.Out);

        string photo = _dir.File("big-green.png");
        var big = new byte[64 * 48 * 3];
        for (int i = 0; i < 64 * 48; i++) (big[3 * i], big[3 * i + 1], big[3 * i + 2]) = (30, 200, 30);
        ImageFile.Save(photo, new RasterImage(64, 48, PixelLayout.Rgb, big));
        var predicted = _cli.Run("predict", "-c", checkpoint, "--top", "1", photo);
        CliAssert.Succeeded(predicted);
        Assert.Contains("1. green", predicted.Out);

        // The report draws the misclassified gallery and the first-layer filters in colour.
        string html = File.ReadAllText(Path.Combine(run, "report.html"));
        foreach (string section in new[] { "filters", "misclassified" })
        {
            var match = System.Text.RegularExpressions.Regex.Match(html,
                $"id=\"{section}\".*?data:image/png;base64,([A-Za-z0-9+/=]+)", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(match.Success, $"no image in the {section} section");
            Assert.Equal(PixelLayout.Rgba, ImageFile.Decode(Convert.FromBase64String(match.Groups[1].Value)).Layout);
        }
    }

    [Fact]
    public void Vgg_preprocessing_is_kept_in_the_checkpoint_and_applied_by_eval_and_stated_by_export()
    {
        string data = MakeFolder();
        string model = _dir.File("tiny.json");
        File.WriteAllText(model, SyntheticData.ModelJson(3));
        string run = _dir.File("vgg-run");

        var trained = _cli.Run("train", "--model", model, "--data", data, "--channels", "3", "--image-size", "8",
            "--epochs", "2", "--batch-size", "10", "--lr", "0.001", "--output", run, "--preprocess", "vgg");
        CliAssert.Succeeded(trained);
        string checkpoint = Path.Combine(run, "model.safetensors");
        Assert.Same(CnnNative.Data.Preprocessing.Vgg, CnnNative.Nn.Checkpoints.ModelCheckpoint.Open(checkpoint).Metadata.Preprocessing);
        using (var info = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))))
            Assert.Equal("vgg", info.RootElement.GetProperty("data").GetProperty("preprocess").GetString());

        // eval preprocesses the test images as training did, so it finds the accuracy training reported.
        string[] lines = trained.Out.TrimEnd().Split('\n');
        string accuracy = lines[^2]["test accuracy: ".Length..];
        var eval = _cli.Run("eval", "--checkpoint", checkpoint, "--data", data);
        CliAssert.Succeeded(eval);
        Assert.Contains($"test accuracy: {accuracy} (", eval.Out);

        string onnx = _dir.File("vgg.onnx");
        var exported = _cli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx);
        CliAssert.Succeeded(exported);
        Assert.Contains("preprocessed 'vgg' as in training: BGR order on the 0–255 scale less the means 103.939, 116.779, 123.68", exported.Out);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx))
            Assert.Equal("vgg", session.ModelMetadata.CustomMetadataMap["preprocess"]);

        var gray = _cli.Run("train", "--model", model, "--data", data, "--image-size", "8", "--preprocess", "vgg", "--output", _dir.File("gray"));
        Assert.Equal(ExitCodes.Failure, gray.Exit);
        Assert.Equal("cnn: --preprocess vgg: Preprocessing 'vgg' (BGR order on the 0–255 scale less the means 103.939, 116.779, 123.68) needs 3-channel images, not 1; decode the images in colour (--channels 3).",
            gray.ErrLines[^1]);
        var unknown = _cli.Run("train", "--model", model, "--data", data, "--channels", "3", "--preprocess", "caffe", "--output", _dir.File("caffe"));
        Assert.Equal(ExitCodes.Failure, unknown.Exit);
        Assert.Equal("cnn: --preprocess 'caffe' is not a preprocessing; choose none or vgg.", unknown.ErrLines[^1]);
    }

    [Fact]
    public void Bad_image_options_are_usage_errors()
    {
        string data = MakeFolder();
        string model = _dir.File("tiny.json");
        File.WriteAllText(model, SyntheticData.ModelJson(3));

        CliAssert.FailedWithOneSentence(_cli.Run("train", "--model", model, "--data", data, "--channels", "2"), "--channels must be 1 (gray) or 3 (RGB)", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("train", "--model", model, "--data", data, "--background", "mauve"), "--background", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("train", "--model", model, "--data", data, "--bad-images", "maybe"), "--bad-images must be skip or stop", ExitCodes.Usage);
        CliAssert.FailedWithOneSentence(_cli.Run("train", "--model", model, "--data", data, "--test-fraction", "1.5"), "--test-fraction must be between 0 and 1", ExitCodes.Usage);
    }
}
