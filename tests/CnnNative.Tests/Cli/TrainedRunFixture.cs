using CnnNative.Cli;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Cli;

/// <summary>
/// One tiny run trained through `cnn train` (synthetic 8×8 data in an MNIST-format folder whose
/// classes.txt gives Fashion-MNIST's class names), shared by the report and predict
/// command tests. Tests copy the run folder before changing anything in it.
/// </summary>
public sealed class TrainedRunFixture : IDisposable
{
    private readonly TempFolder _dir = new("trained-run");

    public TrainedRunFixture()
    {
        Data = _dir.File("fashion-tiny");
        SyntheticData.WriteIdxFolder(Data);
        File.WriteAllLines(Path.Combine(Data, CnnNative.Data.ClassNames.FileName), CnnNative.Data.ClassNames.FashionMnist);
        string model = _dir.File("tiny.json");
        File.WriteAllText(model, SyntheticData.ModelJson());
        Run = _dir.File("run");
        using var cli = NewCli();
        var r = cli.Run("train", "--model", model, "--data", Data, "--epochs", "2", "--batch-size", "32", "--lr", "0.01", "--seed", "4", "--output", Run);
        if (r.Exit != ExitCodes.Success) throw new InvalidOperationException($"training the fixture's run failed (exit {r.Exit}): {r.Err}");
        TrainOutput = r.Out;
    }

    /// <summary>The MNIST-format folder the run trained on.</summary>
    public string Data { get; }

    /// <summary>The run folder `cnn train` wrote.</summary>
    public string Run { get; }

    public string Checkpoint => Path.Combine(Run, "model.safetensors");

    public string TrainOutput { get; }

    /// <summary>A harness whose configured provider is the managed one.</summary>
    internal static CliHarness NewCli()
    {
        var cli = new CliHarness();
        cli.Factories.Add(new ManagedProviderFactory());
        cli.Settings("""{ "Compute": { "Provider": "managed", "Managed": { "Threads": 2 } } }""");
        return cli;
    }

    /// <summary>A fresh copy of the run folder under <paramref name="parent"/>.</summary>
    internal string CopyRun(TempFolder parent, string name = "run-copy")
    {
        string copy = parent.File(name);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(Run))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedRunCollection : ICollectionFixture<TrainedRunFixture>
{
    public const string Name = "a tiny run trained through the CLI";
}
