using CnnNative.Core;
using CnnNative.Data.Imaging;

namespace CnnNative.Data.ImageFolders;

/// <summary>
/// Loads a folder of class folders (see <see cref="ImageFolderScan"/>) as training and test
/// sets: every image decoded once, composited on the background, converted to the channel
/// count and resized to a square with area averaging, in parallel, into the cache
/// (<see cref="ImageFolderCache"/>); later loads read the cache and decode nothing.
/// Images that cannot be decoded are skipped with a warning naming each one (the default) or
/// stop the load (<see cref="BadImagePolicy.Stop"/>).
/// </summary>
public static class ImageFolderLoader
{
    /// <summary>The <see cref="DataFile.Role"/> of an image folder in a run's data description.</summary>
    public const string ImagesRole = "images";

    /// <summary>True when <paramref name="folder"/> holds class folders of images rather than IDX files.</summary>
    public static bool IsImageFolder(string folder) => ImageFolderScan.IsImageFolder(folder);

    /// <summary>
    /// Loads <paramref name="folder"/> (class folders under <c>train/</c> and <c>test/</c>, or class folders
    /// directly, a <see cref="ImageFolderOptions.TestFraction"/> of each held out for testing) as a
    /// training and a test set of <see cref="ImageFolderOptions.ImageSize"/>² images. The first load
    /// decodes every image in parallel and writes a cache beside the data (or under the user's cache
    /// folder when the data is read-only); later loads with the same files and options read only the cache.
    /// Skipped images and ignored files are listed in <see cref="DataSplits.Warnings"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    /// <exception cref="InvalidDataFileException">The folder layout is unusable (no class folders, one class, an empty class, test classes missing from train/).</exception>
    /// <exception cref="ImageFormatException">An image cannot be decoded and <see cref="ImageFolderOptions.BadImages"/> is <see cref="BadImagePolicy.Stop"/>.</exception>
    public static DataSplits Load(string folder, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        string root = Path.GetFullPath(folder);
        ImageFolderScan scan = ImageFolderScan.Scan(root, options.TestFraction);
        string cachePath = ImageFolderCache.PathFor(scan, options);
        ImageFolderCache.Contents contents = ImageFolderCache.TryRead(cachePath, scan, options) ?? Build(scan, options, cachePath);

        int sampleSize = options.Channels * options.ImageSize * options.ImageSize;
        Dataset train = ToDataset("train", contents, 0, contents.TrainLabels, sampleSize);
        Dataset test = ToDataset("test", contents, contents.TrainLabels.Length, contents.TestLabels, sampleSize);

        var warnings = new List<string>();
        foreach (string line in contents.Skipped) warnings.Add($"skipped {line}");
        if (contents.Skipped.Count > 0)
            warnings.Add($"skipped {Plural.Of(contents.Skipped.Count, "image")} that could not be decoded (--bad-images stop makes this an error).");
        if (scan.IgnoredFiles > 0)
            warnings.Add($"ignored {Plural.Of(scan.IgnoredFiles, "file")} in class folders whose names do not end in an image extension ({string.Join(" ", ImageFile.ReadableExtensions)}).");
        var files = new List<DataFile>
        {
            new(ImagesRole, root, scan.Train.Concat(scan.Test).Sum(e => new FileInfo(Path.Combine(root, e.RelativePath)).Length)),
            new("image-cache", cachePath, new FileInfo(cachePath).Length),
        };
        return new DataSplits(root, train, test, files) { Warnings = warnings, TestSource = scan.TestSource };
    }

    private static Dataset ToDataset(string name, ImageFolderCache.Contents contents, int first, int[] labels, int sampleSize)
    {
        var images = new float[(long)labels.Length * sampleSize];
        ReadOnlySpan<byte> bytes = contents.Pixels.AsSpan(first * sampleSize, labels.Length * sampleSize);
        for (int i = 0; i < images.Length; i++) images[i] = bytes[i] / 255f;
        var labelValues = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++) labelValues[i] = labels[i];
        return new Dataset(name, images, labelValues, contents.Channels, contents.Size, contents.Size, contents.ClassNames);
    }

    private static ImageFolderCache.Contents Build(ImageFolderScan scan, ImageFolderOptions options, string cachePath)
    {
        var entries = scan.Train.Concat(scan.Test).ToArray();
        int size = options.ImageSize, channels = options.Channels, sampleSize = channels * size * size;
        var pixels = new byte[(long)entries.Length * sampleSize];
        var errors = new string?[entries.Length];
        int done = 0;
        var gate = new object();
        options.Progress?.Report(new ImageFolderProgress(0, entries.Length));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, entries.Length, parallel, (i, state) =>
        {
            string path = Path.Combine(scan.Root, entries[i].RelativePath);
            try
            {
                float[] values = ImagePlanes.Load(path, channels, size, size, options.Background);
                Span<byte> target = pixels.AsSpan(i * sampleSize, sampleSize);
                for (int k = 0; k < values.Length; k++) target[k] = ImagePlanes.ToByte(values[k]);
            }
            catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
            {
                // ImageFile's messages already start with the path.
                errors[i] = e.Message;
                if (options.BadImages == BadImagePolicy.Stop) state.Stop();
            }
            int now = Interlocked.Increment(ref done);
            if (options.Progress is { } progress && (now % 64 == 0 || now == entries.Length))
                lock (gate) progress.Report(new ImageFolderProgress(now, entries.Length));
        });

        if (options.BadImages == BadImagePolicy.Stop && errors.FirstOrDefault(e => e is not null) is { } first)
            throw new InvalidDataFileException(scan.Root, $"an image cannot be read: {first.TrimEnd('.')}.",
                "Fix or remove the file, or load with --bad-images skip to leave such files out with a warning.");

        var keep = Enumerable.Range(0, entries.Length).Where(i => errors[i] is null).ToArray();
        var skipped = Enumerable.Range(0, entries.Length).Where(i => errors[i] is not null).Select(i => errors[i]!).ToList();
        int trainCount = keep.Count(i => i < scan.Train.Count);
        CheckEveryClassKept(scan, keep, trainCount);

        var kept = new byte[(long)keep.Length * sampleSize];
        for (int n = 0; n < keep.Length; n++)
            pixels.AsSpan(keep[n] * sampleSize, sampleSize).CopyTo(kept.AsSpan(n * sampleSize));
        var contents = new ImageFolderCache.Contents(size, channels, scan.ClassNames,
            keep.Take(trainCount).Select(i => entries[i].Label).ToArray(),
            keep.Skip(trainCount).Select(i => entries[i].Label).ToArray(),
            kept, skipped);
        ImageFolderCache.Write(cachePath, contents);
        return contents;
    }

    private static void CheckEveryClassKept(ImageFolderScan scan, int[] keep, int trainCount)
    {
        var present = new bool[scan.ClassNames.Count];
        foreach (int i in keep.Take(trainCount)) present[scan.Train[i].Label] = true;
        for (int c = 0; c < present.Length; c++)
            if (!present[c])
                throw new InvalidDataFileException(scan.Root, $"no training image of class '{scan.ClassNames[c]}' could be decoded.",
                    "Replace its broken images (the warnings name them) or remove the class folder.");
    }
}
