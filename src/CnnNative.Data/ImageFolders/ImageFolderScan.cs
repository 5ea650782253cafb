using CnnNative.Data.Imaging;

namespace CnnNative.Data.ImageFolders;

/// <summary>One image of a folder data set: its path relative to the data folder and its class index.</summary>
internal readonly record struct ImageEntry(string RelativePath, int Label);

/// <summary>
/// What a folder of class folders holds, before any image is decoded: <c>train/&lt;class&gt;/*</c>
/// and <c>test/&lt;class&gt;/*</c>, or one tree of <c>&lt;class&gt;/*</c> split by a test fraction.
/// Class names are the folder names in ordinal order; files are taken in ordinal path order, so
/// a data set is the same on every machine. Folders and files whose names start with a dot are
/// ignored, as are files that are not images by extension (counted in <see cref="IgnoredFiles"/>).
/// </summary>
internal sealed record ImageFolderScan(
    string Root,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<ImageEntry> Train,
    IReadOnlyList<ImageEntry> Test,
    string TestSource,
    int IgnoredFiles)
{
    public const string TrainFolder = "train", TestFolder = "test";

    /// <summary>True when <paramref name="dir"/> looks like a folder data set (a train/ folder, or class folders holding images) rather than IDX files.</summary>
    public static bool IsImageFolder(string dir)
    {
        if (Directory.Exists(Path.Combine(dir, TrainFolder))) return true;
        foreach (string sub in VisibleFolders(dir))
            if (Directory.EnumerateFiles(sub, "*", SearchOption.AllDirectories).Any(ImageFile.IsImagePath))
                return true;
        return false;
    }

    public static ImageFolderScan Scan(string root, double testFraction)
    {
        string trainRoot = Path.Combine(root, TrainFolder), testRoot = Path.Combine(root, TestFolder);
        bool split = Directory.Exists(trainRoot);
        if (!split && Directory.Exists(testRoot))
            throw new InvalidDataFileException(root, "the folder has a test/ folder but no train/ folder.",
                "Put the training images in train/<class>/ beside test/<class>/, or use one tree of <class>/ folders without test/.");
        string classRoot = split ? trainRoot : root;

        var classFolders = VisibleFolders(classRoot).Order(StringComparer.Ordinal).ToList();
        if (classFolders.Count == 0)
            throw new InvalidDataFileException(classRoot, "the folder holds no class folders.",
                "Put each class's images in a folder named after the class: train/cat/*.jpg, train/dog/*.jpg (and test/… likewise).");
        var names = classFolders.Select(f => Path.GetFileName(f)).ToList();
        if (names.Count < 2)
            throw new InvalidDataFileException(classRoot, $"the folder holds only one class folder ('{names[0]}').",
                "A classifier needs at least two classes: add a folder of images for each other class.");

        int ignored = 0;
        var perClass = new List<List<string>>(names.Count);
        foreach (string folder in classFolders)
        {
            var files = ImagesIn(folder, root, ref ignored);
            if (files.Count == 0)
                throw new InvalidDataFileException(folder, "the class folder holds no images (PNG, JPEG, WebP, BMP, GIF or PGM).",
                    "Put images of the class in it, or remove the folder.");
            perClass.Add(files);
        }

        var train = new List<ImageEntry>();
        var test = new List<ImageEntry>();
        string testSource;
        if (split && Directory.Exists(testRoot))
        {
            for (int c = 0; c < names.Count; c++)
                train.AddRange(perClass[c].Select(f => new ImageEntry(f, c)));
            foreach (string folder in VisibleFolders(testRoot).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(folder);
                int label = names.IndexOf(name);
                if (label < 0)
                    throw new InvalidDataFileException(folder, $"class '{name}' is in test/ but not in train/ (whose classes are {Summarise(names)}).",
                        "Add training images for it under train/, or remove it from test/.");
                var files = ImagesIn(folder, root, ref ignored);
                if (files.Count == 0)
                    throw new InvalidDataFileException(folder, "the class folder holds no images (PNG, JPEG, WebP, BMP, GIF or PGM).",
                        "Put test images of the class in it, or remove the folder.");
                test.AddRange(files.Select(f => new ImageEntry(f, label)));
            }
            if (test.Count == 0)
                throw new InvalidDataFileException(testRoot, "the test folder holds no class folders.",
                    "Put test images in test/<class>/ folders named as under train/, or remove test/ to hold out a share of train/ instead.");
            testSource = "test/";
        }
        else
        {
            for (int c = 0; c < names.Count; c++)
                foreach (string f in perClass[c])
                    (HeldOut(f, testFraction) ? test : train).Add(new ImageEntry(f, c));
            if (test.Count == 0 || train.Count == 0)
                throw new InvalidDataFileException(classRoot,
                    $"holding out {testFraction:P0} of {train.Count + test.Count} images leaves {(test.Count == 0 ? "no test" : "no training")} images.",
                    "Add more images, change the test fraction, or give a test/ folder.");
            testSource = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{testFraction:0.##} of each class (by a hash of the file path)");
        }
        return new ImageFolderScan(root, names, train, test, testSource, ignored);
    }

    /// <summary>
    /// Whether a file goes to the test split: by a hash of its relative path (FNV-1a), so the
    /// split is the same on every machine and adding a file moves no other file.
    /// </summary>
    private static bool HeldOut(string relativePath, double fraction)
    {
        uint hash = 2166136261;
        foreach (char ch in relativePath)
        {
            hash ^= ch;
            hash *= 16777619;
        }
        return hash % 10000 < fraction * 10000;
    }

    private static List<string> ImagesIn(string folder, string root, ref int ignored)
    {
        var result = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.'))) continue;
            if (ImageFile.IsImagePath(file)) result.Add(relative);
            else ignored++;
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static IEnumerable<string> VisibleFolders(string dir) =>
        Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.'));

    private static string Summarise(IReadOnlyList<string> names) =>
        names.Count <= 5 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(4))} … {names[^1]}";
}
