using System.Text.Json;
using CnnNative.Cli;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Cli;

/// <summary>`cnn train` without --model, and --loss / --label-smoothing: recorded in run.json and kept by --resume.</summary>
public sealed class TrainLossOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly TempFolder _dir = new("train-loss");
    private readonly string _data;

    public TrainLossOptionTests()
    {
        _cli.Factories.Add(new ManagedProviderFactory());
        _cli.Settings("""{ "Compute": { "Provider": "managed", "Managed": { "Threads": 2 } } }""");
        _data = _dir.File("tiny");
        SyntheticData.WriteIdxFolder(_data);
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    private CliResult Train(params string[] extra) =>
        _cli.Run(["train", "--data", _data, "--epochs", "1", "--batch-size", "60", .. extra]);

    private static JsonElement RunJson(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "run.json"))).RootElement;

    [Fact]
    public void Without_model_train_trains_simple_conv_and_says_it_is_the_default()
    {
        string output = _dir.File("default");

        var r = Train("--output", output);

        CliAssert.Succeeded(r);
        Assert.Contains("; the default model (choose another with --model)", r.Out);
        Assert.Contains("model: simple-conv (", r.Out);
        Assert.Contains("settings: adam lr 0.001, batch 60, 1 epoch, seed 1", r.Out);
        Assert.Contains("training epoch 1: 7 batches (400 images) per epoch", r.Out);
        Assert.Equal("simple-conv", RunJson(output).GetProperty("modelName").GetString());
        Assert.Equal("softmax-cross-entropy", RunJson(output).GetProperty("loss").GetProperty("type").GetString());
    }

    [Fact]
    public void The_loss_is_recorded_in_run_json_and_resume_keeps_it()
    {
        string output = _dir.File("mse");

        var first = Train("--model", "two-layer-net", "--loss", "MSE", "--output", output);
        CliAssert.Succeeded(first);
        Assert.Contains("loss: mse", first.Out);
        Assert.Equal("mse", RunJson(output).GetProperty("loss").GetProperty("type").GetString());
        Assert.Equal("mse", RunJson(output).GetProperty("model").GetProperty("loss").GetProperty("type").GetString());

        string checkpoint = Path.Combine(output, "model.safetensors");
        CliAssert.FailedWithOneSentence(_cli.Run("train", "--data", _data, "--resume", checkpoint, "--epochs", "2", "--loss", "softmax-cross-entropy"),
            "--loss softmax-cross-entropy differs from the checkpoint's mse", ExitCodes.Failure);
        var resumed = _cli.Run("train", "--data", _data, "--resume", checkpoint, "--epochs", "2");
        CliAssert.Succeeded(resumed);
        Assert.Contains("loss: mse", resumed.Out);
        Assert.Equal("mse", RunJson(output).GetProperty("loss").GetProperty("type").GetString());
    }

    [Fact]
    public void Label_smoothing_is_recorded_and_bad_loss_flags_are_one_sentence_each()
    {
        string output = _dir.File("smooth");

        var r = Train("--model", "two-layer-net", "--label-smoothing", "0.1", "--output", output);

        CliAssert.Succeeded(r);
        Assert.Contains("loss: softmax-cross-entropy, label smoothing 0.1", r.Out);
        Assert.Equal(0.1f, RunJson(output).GetProperty("loss").GetProperty("labelSmoothing").GetSingle());
        CliAssert.FailedWithOneSentence(_cli.Run("train", "--data", _data, "--resume", Path.Combine(output, "model.safetensors"), "--epochs", "2", "--label-smoothing", "0.2"),
            "--label-smoothing 0.2 differs from the checkpoint's 0.1", ExitCodes.Failure);
        CliAssert.FailedWithOneSentence(Train("--loss", "hinge", "--output", _dir.File("x")), "--loss 'hinge' is unknown; choose softmax-cross-entropy or mse", ExitCodes.Failure);
        CliAssert.FailedWithOneSentence(Train("--loss", "mse", "--label-smoothing", "0.1", "--output", _dir.File("x")),
            "--label-smoothing applies to the softmax-cross-entropy loss only", ExitCodes.Failure);
        CliAssert.FailedWithOneSentence(Train("--label-smoothing", "1", "--output", _dir.File("x")), "--label-smoothing must be at least 0 and below 1", ExitCodes.Failure);
        Assert.False(Directory.Exists(_dir.File("x")));
    }
}
