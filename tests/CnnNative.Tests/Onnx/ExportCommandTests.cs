using CnnNative.Cli;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;
using CnnNative.Tests.Training;
using Microsoft.ML.OnnxRuntime;

namespace CnnNative.Tests.Onnx;

/// <summary>`cnn export` on the tiny run's checkpoint (8×8 inputs, Fashion-MNIST class names).</summary>
[Collection(TrainedRunCollection.Name)]
public sealed class ExportCommandTests(TrainedRunFixture run) : IDisposable
{
    private readonly CliHarness _cli = TrainedRunFixture.NewCli();
    private readonly TempFolder _dir = new("export-cli");

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Export_writes_a_model_that_onnx_runtime_runs_and_says_how_to_load_it()
    {
        string onnx = _dir.File("tiny.onnx");

        var r = _cli.Run("export", "--checkpoint", run.Checkpoint, "--onnx", onnx);

        CliAssert.Succeeded(r);
        Assert.Equal("", r.Err);
        Assert.Contains($"wrote {onnx}", r.Out);
        Assert.Contains("input:  'input' float32 [batch, 1, 8, 8]", r.Out);
        Assert.Contains("classes: T-shirt/top, Trouser,", r.Out);
        Assert.Contains("new InferenceSession(\"tiny.onnx\")", r.Out);
        using var session = new InferenceSession(onnx);
        Assert.Contains("\"T-shirt/top\"", session.ModelMetadata.CustomMetadataMap["class_names"]);
        float[] probabilities = OnnxRuntimeSession.Run(File.ReadAllBytes(onnx), new float[2 * 64], [2, 1, 8, 8], "probabilities");
        Assert.Equal(1.0, probabilities.Take(10).Sum(), 1e-5);
    }

    [Fact]
    public void A_target_that_is_not_an_onnx_file_is_refused_before_any_work()
    {
        var r = _cli.Run("export", "--checkpoint", run.Checkpoint, "--onnx", _dir.File("model.bin"));

        CliAssert.FailedWithOneSentence(r, "must be a file path ending in .onnx", ExitCodes.Usage);
        CliAssert.FolderHolds(_dir.Path);
    }

    [Fact]
    public void An_opset_outside_the_range_is_refused_and_nothing_is_written()
    {
        var r = _cli.Run("export", "--checkpoint", run.Checkpoint, "--onnx", _dir.File("model.onnx"), "--opset", "11");

        CliAssert.FailedWithOneSentence(r, "Opset 11 is not offered");
        CliAssert.FolderHolds(_dir.Path);
    }
}
