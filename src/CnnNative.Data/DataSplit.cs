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

/// <summary>A loaded MNIST-format folder: the training and test sets and the files they came from.</summary>
public sealed record DataSplits(string Folder, Dataset Train, Dataset Test, IReadOnlyList<DataFile> Files);
