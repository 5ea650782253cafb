using System.Buffers.Binary;
using CnnNative.Cli;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>
/// "Bad input, nothing lost": every bad input to `cnn train` / `cnn eval` gets one clear line
/// on standard error and a non-zero exit, and an existing run folder — its checkpoint,
/// metrics and run.json — is byte for byte what it was.
/// </summary>
public sealed class TrainBadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly TempFolder _dir = new("train-bad");
    private readonly string _data;
    private readonly string _modelFile;
    private readonly string _run;

    public TrainBadInputTests()
    {
        _cli.Factories.Add(new ManagedProviderFactory());
        _cli.Settings("""{ "Compute": { "Provider": "managed" } }""");
        _data = _dir.File("fashion-tiny");
        SyntheticData.WriteIdxFolder(_data, train: 120, test: 40);
        _modelFile = _dir.File("tiny.json");
        File.WriteAllText(_modelFile, SyntheticData.ModelJson());
        _run = _dir.File("run");
        var r = _cli.Run("train", "--model", _modelFile, "--data", _data, "--epochs", "1", "--batch-size", "40", "--output", _run);
        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
    }

    public void Dispose()
    {
        _cli.Dispose();
        _dir.Dispose();
    }

    private string Checkpoint => Path.Combine(_run, "model.safetensors");

    /// <summary>A copy of the existing run's checkpoint, damaged by <paramref name="damage"/>.</summary>
    private string Damaged(string name, Func<byte[], byte[]> damage)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, damage(File.ReadAllBytes(Checkpoint)));
        return path;
    }

    /// <summary>A copy of the data folder with one file replaced.</summary>
    private string DataWith(string name, string file, byte[] contents)
    {
        string folder = _dir.File(name);
        Directory.CreateDirectory(folder);
        foreach (string f in Directory.GetFiles(_data)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        foreach (string f in Directory.GetFiles(folder, Path.GetFileName(file) + "*")) File.Delete(f);
        File.WriteAllBytes(Path.Combine(folder, file), contents);
        return folder;
    }

    public static TheoryData<string> Cases() =>
    [
        "missing data folder", "truncated images file", "labels count differs", "unknown layer", "shapes do not connect",
        "missing model file", "checkpoint of another model", "truncated checkpoint", "header past the end",
        "unwritable output", "existing run as output", "resume with another learning rate", "epochs already done",
        "eval truncated checkpoint", "eval data of another size", "eval missing data folder", "bad option value", "unknown optimizer",
    ];

    private (string[] Args, string Expected) Case(string name)
    {
        string fresh = _dir.File("fresh-" + name.Replace(' ', '-'));
        string[] Train(params string[] args) => ["train", "--data", _data, .. args];
        switch (name)
        {
            case "missing data folder":
                return (["train", "--model", _modelFile, "--data", _dir.File("nowhere"), "--output", fresh], "the data folder does not exist");
            case "truncated images file":
            {
                var raw = IdxFiles.ImagesFile(120, 8, 8);
                string data = DataWith("truncated-data", "train-images-idx3-ubyte", raw[..(raw.Length - 100)]);
                return (["train", "--model", _modelFile, "--data", data, "--output", fresh], "train-images-idx3-ubyte");
            }
            case "labels count differs":
            {
                string data = DataWith("count-data", "train-labels-idx1-ubyte", IdxFiles.LabelsFile(119, 4));
                return (["train", "--model", _modelFile, "--data", data, "--output", fresh], "holds 119 labels but");
            }
            case "unknown layer":
            {
                string model = _dir.File("unknown.json");
                File.WriteAllText(model, """{ "layers": [ { "type": "convolution3d" }, { "type": "affine", "units": 4 } ] }""");
                return (Train("--model", model, "--output", fresh), "convolution3d");
            }
            case "shapes do not connect":
            {
                string model = _dir.File("big-kernel.json");
                File.WriteAllText(model, """{ "layers": [ { "type": "conv", "filters": 2, "kernel": 20 }, { "type": "affine", "units": 4 } ] }""");
                return (Train("--model", model, "--output", fresh), "conv1");
            }
            case "missing model file":
                return (Train("--model", _dir.File("nope.json"), "--output", fresh), "neither a preset");
            case "checkpoint of another model":
                return (Train("--resume", Checkpoint, "--model", "simple-conv", "--epochs", "3"), "not the model 'simple-conv'");
            case "truncated checkpoint":
                return (Train("--resume", Damaged("truncated.safetensors", b => b[..(b.Length - 16)]), "--epochs", "2"), "truncated");
            case "header past the end":
            {
                string path = Damaged("past-end.safetensors", b =>
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)b.Length * 2);
                    return b;
                });
                return (Train("--resume", path, "--epochs", "2"), "points past the end");
            }
            case "unwritable output":
            {
                string file = _dir.File("a-file");
                File.WriteAllText(file, "not a folder");
                return (Train("--model", _modelFile, "--output", Path.Combine(file, "run")), "cannot be written");
            }
            case "existing run as output":
                return (Train("--model", _modelFile, "--output", _run), "already holds a training run");
            case "resume with another learning rate":
                return (Train("--resume", Checkpoint, "--epochs", "2", "--lr", "0.5"), "--lr 0.5 differs from the checkpoint's 0.001");
            case "epochs already done":
                return (Train("--resume", Checkpoint), "has already trained 1 epoch;");
            case "eval truncated checkpoint":
                return (["eval", "--checkpoint", Damaged("eval-truncated.safetensors", b => b[..40]), "--data", _data], "truncated");
            case "eval data of another size":
            {
                string other = _dir.File("other-size");
                Directory.CreateDirectory(other);
                IdxFiles.Write(Path.Combine(other, "t10k-images-idx3-ubyte"), IdxFiles.ImagesFile(10, 6, 6), gzip: false);
                IdxFiles.Write(Path.Combine(other, "t10k-labels-idx1-ubyte"), IdxFiles.LabelsFile(10, 4), gzip: false);
                return (["eval", "--checkpoint", Checkpoint, "--data", other], "images are 1×6×6 but the model takes [1, 8, 8]");
            }
            case "eval missing data folder":
                return (["eval", "--checkpoint", Checkpoint, "--data", _dir.File("nowhere")], "does not exist");
            case "bad option value":
                return (Train("--model", _modelFile, "--batch-size", "0", "--output", fresh), "--batch-size must be between 1");
            case "unknown optimizer":
                return (Train("--model", _modelFile, "--optimizer", "lion", "--output", fresh), "--optimizer 'lion' is unknown; choose one of sgd, momentum");
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gets_one_line_a_non_zero_exit_and_damages_nothing(string name)
    {
        var (args, expected) = Case(name);
        var before = Snapshot(_run);

        var r = _cli.Run(args);

        Assert.NotEqual(ExitCodes.Success, r.Exit);
        string line = Assert.Single(r.ErrLines);
        Assert.StartsWith("cnn: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("   at ", r.Err);
        var after = Snapshot(_run);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (file, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(after[file]), $"{file} changed");
        foreach (string folder in Directory.GetDirectories(_dir.Path, "fresh-*"))
            Assert.Empty(Directory.GetFiles(folder)); // nothing written for a run that never started
        Assert.False(Directory.Exists(_dir.File("fresh-" + name.Replace(' ', '-'))), "the output folder of a refused run must not be created");
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
}
