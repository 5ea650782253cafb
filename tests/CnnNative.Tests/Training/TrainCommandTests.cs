using System.Text.Json;
using CnnNative.Cli;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>`cnn train` and `cnn eval` end to end, in-process, on a tiny IDX data set written at test time.</summary>
public sealed class TrainCommandTests : IDisposable
{
    // One convolution algorithm: with "auto" each process measures its own, and on a busy
    // machine two processes can choose differently, which breaks bit-for-bit resume checks.
    private readonly TinyTrainCli _tiny = new("train-cli", "fashion-tiny",
        """{ "Compute": { "Provider": "managed", "Managed": { "Threads": 2, "ConvolutionAlgorithm": "im2col" } } }""");

    public TrainCommandTests() =>
        File.WriteAllLines(Path.Combine(_tiny.Data, CnnNative.Data.ClassNames.FileName), CnnNative.Data.ClassNames.FashionMnist); // Fashion-MNIST class names

    public void Dispose() => _tiny.Dispose();

    private CliResult Train(string output, params string[] extra) =>
        _tiny.Cli.Run(["train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "2", "--batch-size", "32", "--lr", "0.01", "--output", output, .. extra]);

    [Fact]
    public void Train_prints_each_epoch_and_the_test_accuracy_and_writes_the_run_folder()
    {
        string output = _tiny.Dir.File("run");
        var r = Train(output, "--seed", "4");

        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Equal("", r.Err);
        Assert.Contains("model: tiny-conv (", r.Out);
        Assert.Contains("provider: managed on ", r.Out);
        Assert.Contains("settings: adam lr 0.01, batch 32, 2 epochs, seed 4", r.Out);
        Assert.Matches(@"epoch 1/2: loss \d\.\d{4}  train accuracy \d\.\d{4}  test accuracy \d\.\d{4}  lr 0\.01  \d+ images/s  [\d.]+ s", r.Out);
        Assert.Contains("epoch 2/2: ", r.Out);
        Assert.Matches(@"epoch 1/2  \d\d% of the epoch  batch \d+/13  loss", r.Out); // the ~10 % progress lines
        string[] lines = r.Out.TrimEnd().Split('\n');
        Assert.Matches(@"^test accuracy: (0|1)\.\d{4}$", lines[^2]);
        Assert.Equal($"output: {output}", lines[^1]);
        double accuracy = double.Parse(lines[^2]["test accuracy: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.9, $"test accuracy {accuracy}");

        var rows = MetricsCsv.Read(Path.Combine(output, "metrics.csv"));
        Assert.Equal(2, rows.Count);
        Assert.Equal(accuracy, rows[1].TestAccuracy, 4);

        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json")));
        var root = run.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("tiny-conv", root.GetProperty("modelName").GetString());
        Assert.Equal("conv", root.GetProperty("model").GetProperty("layers")[0].GetProperty("type").GetString());
        Assert.Equal(4UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(32, root.GetProperty("hyperparameters").GetProperty("batchSize").GetInt32());
        Assert.Equal("adam", root.GetProperty("hyperparameters").GetProperty("optimizer").GetProperty("name").GetString());
        Assert.Equal("managed", root.GetProperty("provider").GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("provider").GetProperty("threads").GetInt32());
        var files = root.GetProperty("data").GetProperty("files");
        Assert.Equal(4, files.GetArrayLength());
        foreach (var file in files.EnumerateArray())
            Assert.Equal(new FileInfo(file.GetProperty("path").GetString()!).Length, file.GetProperty("length").GetInt64());
        Assert.Equal(2, root.GetProperty("epochsCompleted").GetInt32());
        Assert.True(root.GetProperty("endTime").GetDateTimeOffset() >= root.GetProperty("startTime").GetDateTimeOffset());

        var checkpoint = ModelCheckpoint.Open(Path.Combine(output, "model.safetensors"));
        Assert.Equal(2, TrainingCheckpoint.Read(checkpoint).State.Epoch);
    }

    [Fact]
    public void Eval_prints_test_accuracy_per_class_accuracy_and_the_confusion_matrix()
    {
        string output = _tiny.Dir.File("run");
        var trained = Train(output);
        Assert.True(trained.Exit == ExitCodes.Success, $"exit {trained.Exit}: {trained.Err}");
        string trainedAccuracy = trained.Out.TrimEnd().Split('\n')[^2]["test accuracy: ".Length..];

        var r = _tiny.Cli.Run("eval", "--checkpoint", Path.Combine(output, "model.safetensors"), "--data", _tiny.Data);

        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Equal("", r.Err);
        Assert.Contains($"test accuracy: {trainedAccuracy} (", r.Out);
        Assert.Contains(" of 120)", r.Out);
        Assert.Contains("per-class accuracy:", r.Out);
        Assert.Matches(@"\n\s+0 T-shirt/top\s+\d\.\d{4}  \(\d+ of \d+\)\n", r.Out);
        Assert.Matches(@"\n\s+9 Ankle boot\s+n/a  \(0 of 0\)\n", r.Out); // the synthetic labels use classes 0-3 only
        Assert.Contains("confusion matrix (rows: true class, columns: predicted class):", r.Out);
        Assert.Matches(@"\n\s+0 T-shirt/top(\s+\d+){10}\n", r.Out);

        _tiny.Cli.Interactive = true;
        var tables = _tiny.Cli.Run("eval", "--checkpoint", Path.Combine(output, "model.safetensors"), "--data", _tiny.Data);
        Assert.True(tables.Exit == ExitCodes.Success, $"exit {tables.Exit}: {tables.Err}");
        Assert.Contains("confusion matrix", tables.Out);
        Assert.Contains("─", tables.Out);
    }

    [Fact]
    public void Train_on_a_terminal_draws_a_progress_bar_and_still_prints_the_epochs()
    {
        _tiny.Cli.Interactive = true;
        var r = _tiny.Cli.Run("train", "--model", "simple-conv", "--data", _tiny.Data, "--epochs", "1", "--batch-size", "50",
            "--optimizer", "sgd", "--output", _tiny.Dir.File("bar"));
        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Contains("settings: sgd lr 0.1, batch 50, 1 epoch", r.Out);
        Assert.Contains("epoch 1/1: loss", r.Out);
        Assert.Contains("test accuracy: ", r.Out);
        Assert.DoesNotContain("% of the epoch  batch", r.Out); // no plain progress lines on a terminal
    }

    [Fact]
    public void Ctrl_c_stops_with_a_checkpoint_and_resume_finishes_the_same_run()
    {
        string straight = _tiny.Dir.File("straight");
        var first = Train(straight);
        Assert.True(first.Exit == ExitCodes.Success, first.Err);

        string stopped = _tiny.Dir.File("stopped");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel(); // as if Ctrl+C came during the first batch: the trainer stops after it
        var interrupted = _tiny.Cli.Run(cancel.Token, ["train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "2", "--batch-size", "32", "--lr", "0.01", "--output", stopped]);
        Assert.Equal(ExitCodes.Cancelled, interrupted.Exit);
        string line = Assert.Single(interrupted.ErrLines);
        Assert.Equal($"cnn: Stopped after batch 1 of 13 in epoch 1; continue with --resume {Path.Combine(stopped, "model.safetensors")}.", line);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(stopped, "run.json"))))
            Assert.Equal("interrupted", run.RootElement.GetProperty("status").GetString());

        var resumed = _tiny.Cli.Run("train", "--resume", Path.Combine(stopped, "model.safetensors"), "--data", _tiny.Data);
        Assert.True(resumed.Exit == ExitCodes.Success, $"exit {resumed.Exit}: {resumed.Err}");
        Assert.Contains("resuming: ", resumed.Out);
        Assert.Contains($"output: {stopped}", resumed.Out);

        var a = SafeTensorsFile.Read(Path.Combine(straight, "model.safetensors"));
        var b = SafeTensorsFile.Read(Path.Combine(stopped, "model.safetensors"));
        Assert.Equal(a.Tensors.Select(t => t.Name), b.Tensors.Select(t => t.Name));
        for (int i = 0; i < a.Tensors.Count; i++)
            ResumeTests.AssertBitwiseEqual(a.Tensors[i].Name, a.Tensors[i].Data, b.Tensors[i].Data);
        Assert.Equal(
            MetricsCsv.Read(Path.Combine(straight, "metrics.csv")).Select(m => (m.Loss, m.TrainAccuracy, m.TestAccuracy)),
            MetricsCsv.Read(Path.Combine(stopped, "metrics.csv")).Select(m => (m.Loss, m.TrainAccuracy, m.TestAccuracy)));
    }

    [Fact]
    public void A_cosine_schedule_a_validation_split_early_stopping_and_keep_both_from_the_command_line()
    {
        string output = _tiny.Dir.File("best-run");
        var r = _tiny.Cli.Run("train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "4", "--batch-size", "32", "--lr", "0.01", "--output", output, "--schedule", "cosine", "--warmup", "0.5", "--validation-split", "0.2", "--patience", "1", "--keep", "both");

        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Contains("settings: adam lr 0.01 (cosine after 0.5 warm-up epochs), batch 32, 4 epochs, seed 1, validation 0.2", r.Out);
        Assert.Contains("validation: 80 of the training images held out, 320 trained on", r.Out);
        Assert.Contains("early stopping: after 1 epoch without a lower validation loss", r.Out);
        Assert.Matches(@"epoch 1/4: loss \d\.\d{4}  train accuracy \d\.\d{4}  validation loss \d\.\d{4} accuracy \d\.\d{4}  test accuracy", r.Out);
        Assert.Matches(@"best: epoch \d \(validation loss \d\.\d{4}, test accuracy \d\.\d{4}\) in .*best\.safetensors", r.Out);

        var rows = MetricsCsv.Read(Path.Combine(output, "metrics.csv"));
        Assert.All(rows, m => Assert.True(m.HasValidation));
        Assert.True(rows[0].LearningRate > rows[^1].LearningRate, "the cosine schedule lowers the rate");
        var best = TrainingCheckpoint.Read(ModelCheckpoint.Open(Path.Combine(output, "best.safetensors")));
        int bestEpoch = best.State.Epoch;
        Assert.Equal(rows.Take(bestEpoch).Min(m => m.ValidationLoss), rows[bestEpoch - 1].ValidationLoss);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json")));
        var root = run.RootElement;
        Assert.Equal("both", root.GetProperty("keep").GetString());
        Assert.Equal(1, root.GetProperty("patience").GetInt32());
        Assert.Equal(bestEpoch, root.GetProperty("bestEpoch").GetInt32());
        Assert.Equal("cosine", root.GetProperty("hyperparameters").GetProperty("schedule").GetProperty("name").GetString());
        Assert.Equal(rows.Count < 4 ? "stopped" : "completed", root.GetProperty("status").GetString());
    }

    [Fact]
    public void Augmentation_is_recorded_in_run_json_and_the_checkpoint_and_a_resume_keeps_it()
    {
        string output = _tiny.Dir.File("augmented");
        var r = _tiny.Cli.Run("train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "1", "--batch-size", "32", "--output", output, "--augment", "shift:1,flip,erase");
        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Contains("augment shift:1,flip,erase:4", r.Out);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json"))))
        {
            var augmentation = run.RootElement.GetProperty("hyperparameters").GetProperty("augmentation");
            Assert.Equal((1, true, 4), (augmentation.GetProperty("shift").GetInt32(), augmentation.GetProperty("flip").GetBoolean(), augmentation.GetProperty("erase").GetInt32()));
        }
        string checkpoint = Path.Combine(output, "model.safetensors");
        Assert.Equal("shift:1,flip,erase:4", TrainingCheckpoint.Read(ModelCheckpoint.Open(checkpoint)).Settings.Augmentation.ToString());

        var other = _tiny.Cli.Run("train", "--resume", checkpoint, "--data", _tiny.Data, "--epochs", "2", "--augment", "flip");
        CliAssert.FailedWithOneSentence(other, "--augment flip differs from the checkpoint's shift:1,flip,erase:4; a resumed run keeps the checkpoint's settings, so drop --augment (only --epochs may change).");
    }

    [Fact]
    public void Keep_best_leaves_the_best_epoch_as_the_folders_model()
    {
        string output = _tiny.Dir.File("keep-best");
        var r = _tiny.Cli.Run("train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "3", "--batch-size", "32", "--lr", "0.01", "--output", output, "--validation-split", "0.25", "--keep", "best");
        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.False(File.Exists(Path.Combine(output, "best.safetensors")));
        var rows = MetricsCsv.Read(Path.Combine(output, "metrics.csv"));
        int best = 1 + Enumerable.Range(0, rows.Count).MinBy(e => (rows[e].ValidationLoss, e));
        Assert.Equal(best, TrainingCheckpoint.Read(ModelCheckpoint.Open(Path.Combine(output, "model.safetensors"))).State.Epoch);
    }

    [Theory]
    [InlineData("--schedule", "linear", "--schedule 'linear' is unknown; choose one of constant, step, cosine, one-cycle.")]
    [InlineData("--warmup", "-1", "--warmup must be zero or a positive number of epochs, got -1.")]
    [InlineData("--validation-split", "0.9", "--validation-split must be between 0 and 0.5, got 0.9.")]
    [InlineData("--patience", "0", "--patience must be at least 1 epoch, got 0.")]
    [InlineData("--keep", "most", "--keep 'most' is unknown; choose last, best or both.")]
    [InlineData("--augment", "rotate", "--augment 'rotate' is not an augmentation; use a comma-separated list of shift[:N], flip and erase[:N] (for example shift:2,flip), or none.")]
    [InlineData("--augment", "shift:8", "--augment shift:8 does not fit 8×8 images; shift by 0 to 7 pixels.")]
    public void Bad_training_flags_get_one_sentence_naming_the_flag(string flag, string value, string message)
    {
        var r = Train(_tiny.Dir.File("bad" + flag), flag, value);
        Assert.Equal($"cnn: {message}", CliAssert.FailedWithOneSentence(r, message));
    }

    [Fact]
    public void Patience_without_a_validation_split_watches_the_training_loss()
    {
        var r = Train(_tiny.Dir.File("train-loss"), "--patience", "2");
        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
        Assert.Contains("early stopping: after 2 epochs without a lower training loss", r.Out);
    }

    [Fact]
    public void Train_and_eval_describe_themselves_in_help()
    {
        var train = _tiny.Cli.Run("train", "--help");
        Assert.True(train.Exit == ExitCodes.Success, $"exit {train.Exit}: {train.Err}");
        foreach (string option in new[] { "--model", "--data", "--epochs", "--batch-size", "--optimizer", "--lr", "--weight-decay", "--schedule", "--warmup", "--validation-split", "--patience", "--keep", "--seed", "--provider", "--output", "--resume" })
            Assert.Contains(option, train.Out);
        var eval = _tiny.Cli.Run("eval", "--help");
        Assert.Contains("--checkpoint", eval.Out);
    }
}
