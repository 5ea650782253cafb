using CnnNative.Data.ImageFolders;

namespace CnnNative.Data;

/// <summary>
/// Loads a data folder: class folders of images (see <see cref="ImageFolderLoader"/>) or an
/// MNIST-format folder: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each plain or <c>.gz</c>
/// (the dotted spelling <c>train-images.idx3-ubyte</c> of some MNIST mirrors works too).
/// Checks that each labels file matches its images file and that every label is a class index.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs Fashion-MNIST.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Loads both splits. For an IDX folder <paramref name="classNames"/> defaults to
    /// <see cref="ClassNames.ForIdxFolder"/>; for an image folder the names are the class
    /// folders' and, when given, must equal <paramref name="classNames"/> (a checkpoint's, say).
    /// <paramref name="images"/> says how image folders are decoded; IDX folders ignore it.
    /// <c>digits</c> (or a <c>.csv</c>/<c>.csv.gz</c> file) is seed 003's 8×8 digits data set
    /// (<see cref="DigitsDataset"/>), split 80/20 by <paramref name="seed"/>, the run's seed.
    /// </summary>
    public static DataSplits Load(string? folder = null, IReadOnlyList<string>? classNames = null, ImageFolderOptions? images = null, ulong seed = 0)
    {
        if (DigitsDataset.Handles(folder)) return DigitsDataset.Load(folder!, seed);
        string dir = ResolveFolder(folder);
        if (ImageFolderLoader.IsImageFolder(dir))
        {
            DataSplits splits = ImageFolderLoader.Load(dir, images);
            if (classNames is not null && !classNames.SequenceEqual(splits.Train.ClassNames))
                throw new InvalidDataFileException(dir,
                    $"its class folders are {string.Join(", ", splits.Train.ClassNames)}, but the model was trained on {string.Join(", ", classNames)}.",
                    "Use the data folder the model was trained on, with the same class folders.");
            return splits;
        }
        var files = new List<DataFile>(4);
        var (trainImages, trainLabels) = ReadSplit(dir, DataSplit.Train, files);
        var (testImages, testLabels) = ReadSplit(dir, DataSplit.Test, files);
        classNames ??= ClassNames.ForIdxFolder(dir, trainLabels.Labels, testLabels.Labels);
        Dataset train = ToDataset(DataSplit.Train, trainImages, trainLabels, classNames);
        Dataset test = ToDataset(DataSplit.Test, testImages, testLabels, classNames);
        if (train.Rows != test.Rows || train.Columns != test.Columns)
            throw new InvalidDataFileException(dir,
                $"the training images are {train.Rows}×{train.Columns} but the test images are {test.Rows}×{test.Columns}.",
                "Both splits of a data set must have images of the same size.");
        return new DataSplits(dir, train, test, files);
    }

    /// <summary>Loads one split (the test set alone for evaluation, say).</summary>
    public static Dataset Load(string? folder, DataSplit split, IReadOnlyList<string>? classNames = null, ImageFolderOptions? images = null, ulong seed = 0)
    {
        if (DigitsDataset.Handles(folder))
        {
            var digits = DigitsDataset.Load(folder!, seed);
            return split == DataSplit.Train ? digits.Train : digits.Test;
        }
        string dir = ResolveFolder(folder);
        if (ImageFolderLoader.IsImageFolder(dir))
        {
            DataSplits splits = Load(dir, classNames, images);
            return split == DataSplit.Train ? splits.Train : splits.Test;
        }
        var (idxImages, labels) = ReadSplit(dir, split, null);
        return ToDataset(split, idxImages, labels, classNames ?? ClassNames.ForIdxFolder(dir, labels.Labels));
    }

    /// <summary>The images and labels files of a split, without reading them; throws when one is missing.</summary>
    public static (string Images, string Labels) Locate(string folder, DataSplit split)
    {
        string dir = ResolveFolder(folder);
        string prefix = Prefix(split);
        return (Find(dir, prefix, "images", "idx3"), Find(dir, prefix, "labels", "idx1"));
    }

    /// <summary>The full path of the folder, or a clear error when it does not exist.</summary>
    public static string ResolveFolder(string? folder)
    {
        string dir = Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? DefaultFolder : folder);
        if (Directory.Exists(dir)) return dir;
        if (File.Exists(dir))
            throw new InvalidDataFileException(dir, "this is a file, but a data folder was expected.",
                "Pass --data DIR naming the folder that holds the IDX files.");
        bool isDefault = string.Equals(dir.TrimEnd('/'), DefaultFolder, StringComparison.Ordinal);
        throw new InvalidDataFileException(dir,
            isDefault ? "the default Fashion-MNIST folder does not exist." : "the data folder does not exist.",
            "Install Fashion-MNIST with `apt-get install dataset-fashion-mnist` or pass --data DIR pointing at an MNIST-format folder.");
    }

    private sealed record LabelFile(string Path, byte[] Labels);

    private static (IdxImages Images, LabelFile Labels) ReadSplit(string dir, DataSplit split, List<DataFile>? files)
    {
        string prefix = Prefix(split);
        string role = split == DataSplit.Train ? "train" : "test";
        string imagesPath = Find(dir, prefix, "images", "idx3");
        string labelsPath = Find(dir, prefix, "labels", "idx1");

        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new InvalidDataFileException(labelsPath,
                $"it holds {labels.Length} labels but {imagesPath} holds {images.Count} images.",
                "The two files must describe the same samples; download them again as a pair.");
        files?.Add(new DataFile(role + "-images", imagesPath, new FileInfo(imagesPath).Length));
        files?.Add(new DataFile(role + "-labels", labelsPath, new FileInfo(labelsPath).Length));
        return (images, new LabelFile(labelsPath, labels));
    }

    private static Dataset ToDataset(DataSplit split, IdxImages images, LabelFile labels, IReadOnlyList<string> classNames)
    {
        var labelValues = new float[labels.Labels.Length];
        for (int i = 0; i < labelValues.Length; i++)
        {
            byte label = labels.Labels[i];
            if (label >= classNames.Count)
                throw new InvalidDataFileException(labels.Path,
                    $"label {label} of sample {i} is outside 0..{classNames.Count - 1} ({classNames.Count} classes: {Summarise(classNames)}).",
                    "Download the file again, or give class names that cover every label.");
            labelValues[i] = label;
        }
        string role = split == DataSplit.Train ? "train" : "test";
        return new Dataset(role, images.Pixels, labelValues, 1, images.Rows, images.Columns, classNames);
    }

    private static string Prefix(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Test => "t10k",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown data split."),
    };

    /// <summary>Finds "{prefix}-{kind}-{idx}-ubyte" or the dotted spelling, plain before .gz.</summary>
    private static string Find(string dir, string prefix, string kind, string idx)
    {
        string dashed = $"{prefix}-{kind}-{idx}-ubyte";
        string dotted = $"{prefix}-{kind}.{idx}-ubyte";
        ReadOnlySpan<string> candidates = [dashed, dashed + ".gz", dotted, dotted + ".gz"];
        foreach (string name in candidates)
        {
            string path = Path.Combine(dir, name);
            // A folder of that name is found too, so the reader says "is a folder" rather than this "has no".
            if (Path.Exists(path)) return path;
        }
        throw new InvalidDataFileException(dir,
            $"the folder has no {dashed}[.gz] (also looked for {dotted}[.gz]).",
            "An MNIST-format folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each optionally gzipped.");
    }

    private static string Summarise(IReadOnlyList<string> names) =>
        names.Count <= 4 ? string.Join(", ", names) : $"{names[0]}, {names[1]} … {names[^1]}";
}
