using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Fuzz;

/// <summary>
/// The valid files every malformed input starts from: a tiny MNIST-format folder, a checkpoint
/// trained on it through `cnn train`, its JSON model file, and an 8×8 PGM and PNG image.
/// </summary>
public sealed class FuzzFixture : IDisposable
{
    private readonly TrainedRunFixture _run = new();

    public FuzzFixture()
    {
        Root = new TempFolder("fuzz");
        ImagesFile = File.ReadAllBytes(Path.Combine(Data, "t10k-images-idx3-ubyte"));
        LabelsFile = File.ReadAllBytes(Path.Combine(Data, "t10k-labels-idx1-ubyte"));
        CheckpointFile = File.ReadAllBytes(Checkpoint);
        ModelJson = Training.SyntheticData.ModelJson();
    }

    /// <summary>Parent of every case folder; deleted at the end.</summary>
    internal TempFolder Root { get; }

    /// <summary>The MNIST-format folder the checkpoint was trained on (plain t10k files, gzipped train files).</summary>
    public string Data => _run.Data;

    public string Checkpoint => _run.Checkpoint;

    public string RunFolder => _run.Run;

    public byte[] ImagesFile { get; }

    public byte[] LabelsFile { get; }

    public byte[] CheckpointFile { get; }

    public string ModelJson { get; }

    /// <summary>An 8×8 8-bit binary PGM (P5) of a horizontal gradient.</summary>
    public static byte[] Pgm()
    {
        byte[] header = "P5\n8 8\n255\n"u8.ToArray();
        var pixels = new byte[64];
        for (int i = 0; i < 64; i++) pixels[i] = (byte)(i % 8 * 32);
        return [.. header, .. pixels];
    }

    /// <summary>The same image as an 8-bit gray PNG.</summary>
    public static byte[] Png() => FuzzPng.Gray(8, 8, Pgm().AsSpan(Pgm().Length - 64).ToArray());

    /// <summary>A copy of the data folder in <paramref name="folder"/>, with <paramref name="replace"/> written over the named file.</summary>
    internal string CopyData(string folder, string? name = null, byte[]? replace = null)
    {
        string data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        foreach (string file in Directory.GetFiles(Data))
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        if (name is not null && replace is not null) File.WriteAllBytes(Path.Combine(data, name), replace);
        return data;
    }

    public void Dispose()
    {
        Root.Dispose();
        _run.Dispose();
    }
}

/// <summary>Runs the fuzz cases alone: their memory figures must not include other tests' work.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection : ICollectionFixture<FuzzFixture>
{
    public const string Name = "malformed-input fuzzing (alone, for memory figures)";
}
