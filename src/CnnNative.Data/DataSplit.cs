namespace CnnNative.Data;

/// <summary>The two halves of an MNIST-format folder.</summary>
public enum DataSplit
{
    /// <summary>train-images-idx3-ubyte / train-labels-idx1-ubyte (60 000 samples in MNIST and Fashion-MNIST).</summary>
    Train,

    /// <summary>t10k-images-idx3-ubyte / t10k-labels-idx1-ubyte (10 000 samples).</summary>
    Test,
}

/// <summary>One data file a run used, for run.json: which part it is, where, how large.</summary>
/// <param name="Role">"train-images", "train-labels", "test-images" or "test-labels".</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Length">File length in bytes on disk (compressed length for .gz).</param>
public sealed record DataFile(string Role, string Path, long Length);

/// <summary>A loaded data folder (IDX files or class folders of images): the training and test sets and the files they came from.</summary>
public sealed record DataSplits(string Folder, Dataset Train, Dataset Test, IReadOnlyList<DataFile> Files)
{
    /// <summary>Things the user should know about the data (images skipped, files ignored), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Where the test set came from: "t10k files", "test/", or the share held out of each class.</summary>
    public string TestSource { get; init; } = "t10k files";

    /// <summary>Both splits with <paramref name="preprocessing"/> applied (see <see cref="Dataset.Preprocessed"/>).</summary>
    public DataSplits Preprocessed(Preprocessing preprocessing) =>
        this with { Train = Train.Preprocessed(preprocessing), Test = Test.Preprocessed(preprocessing) };
}
