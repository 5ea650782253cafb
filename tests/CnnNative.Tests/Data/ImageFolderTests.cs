using CnnNative.Data;
using CnnNative.Data.ImageFolders;
using CnnNative.Data.Imaging;
using CnnNative.Tests.Imaging;

namespace CnnNative.Tests.Data;

/// <summary>Folders of class folders (made here with our encoder and SkiaSharp's) load as data sets, through a cache.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly TempFolder _dir = new("imagefolder");

    public void Dispose() => _dir.Dispose();

    /// <summary>An 8×8 picture whose colour says its class: red-ish, green-ish, blue-ish, with a per-image brightness.</summary>
    private static RasterImage Picture(int label, int index)
    {
        var rgb = new byte[8 * 8 * 3];
        for (int i = 0; i < 64; i++)
        {
            rgb[3 * i + label] = (byte)(150 + index * 10);
            rgb[3 * i + (label + 1) % 3] = 20;
        }
        return new RasterImage(8, 8, PixelLayout.Rgb, rgb);
    }

    private static readonly string[] Classes = ["blue", "green", "red"]; // ordinal order: labels 0, 1, 2

    private static int Channel(string name) => name switch { "red" => 0, "green" => 1, _ => 2 };

    /// <summary>root/split/class/NN.ext, formats cycling through PNG, JPEG, WebP, BMP-free ones written by Skia.</summary>
    private void Write(string split, int perClass)
    {
        foreach (string name in Classes)
        {
            string folder = Path.Combine(_dir.Path, split, name);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < perClass; i++)
            {
                RasterImage picture = Picture(Channel(name), i);
                switch (i % 3)
                {
                    case 0: ImageFile.Save(Path.Combine(folder, $"{i:00}.png"), picture); break;
                    case 1: File.WriteAllBytes(Path.Combine(folder, $"{i:00}.JPG"), ImageFixtures.Jpeg(picture)); break;
                    default: File.WriteAllBytes(Path.Combine(folder, $"{i:00}.webp"), ImageFixtures.WebpLossless(picture)); break;
                }
            }
        }
    }

    [Fact]
    public void Train_and_test_class_folders_load_resized_in_colour_with_folder_names_as_classes()
    {
        Write("train", 5);
        Write("test", 2);
        File.WriteAllText(Path.Combine(_dir.Path, "train", "red", "notes.txt"), "not an image");

        DataSplits data = DatasetLoader.Load(_dir.Path, images: new ImageFolderOptions { ImageSize = 4, Channels = 3 });

        Assert.Equal(Classes, data.Train.ClassNames);
        Assert.Equal((15, 3, 4, 4), (data.Train.Count, data.Train.Channels, data.Train.Rows, data.Train.Columns));
        Assert.Equal(6, data.Test.Count);
        Assert.Equal("test/", data.TestSource);
        Assert.Contains(data.Warnings, w => w.Contains("ignored 1 file"));
        // Files are in ordinal order: train/blue/00.png is sample 0, a uniform blue square of 150.
        ReadOnlySpan<float> first = data.Train.Image(0);
        Assert.Equal(0, data.Train.Label(0));
        Assert.All(first[32..48].ToArray(), v => Assert.Equal(150 / 255f, v, 3)); // the blue plane
        Assert.All(first[..16].ToArray(), v => Assert.Equal(20 / 255f, v, 3)); // red holds 20 for blue pictures
        for (int n = 0; n < data.Train.Count; n++)
        {
            float[] image = data.Train.Image(n).ToArray();
            int brightest = Enumerable.Range(0, 3).MaxBy(c => image[c * 16]);
            Assert.Equal(data.Train.Label(n), brightest switch { 0 => 2, 1 => 1, _ => 0 });
        }
    }

    [Fact]
    public void Gray_uses_bt601_luma_and_the_cache_is_reused_until_a_file_changes()
    {
        Write("train", 3);
        Write("test", 1);
        var decoded = new List<ImageFolderProgress>();
        var options = new ImageFolderOptions { ImageSize = 8, Channels = 1, Progress = new SyncProgress(decoded.Add) };

        DataSplits first = DatasetLoader.Load(_dir.Path, images: options);
        Assert.Equal(new ImageFolderProgress(12, 12), decoded[^1]);
        string cache = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, ".cnn-cache")));
        // Sample 0 is blue 150 with red 20: luma 0.299·20 + 0.114·150.
        Assert.Equal(MathF.Round(0.299f * 20 + 0.114f * 150) / 255f, first.Train.Image(0)[0], 3);

        decoded.Clear();
        DataSplits again = DatasetLoader.Load(_dir.Path, images: options);
        Assert.Empty(decoded); // read from the cache, nothing decoded
        Assert.Equal(first.Train.Images, again.Train.Images);

        string changed = Path.Combine(_dir.Path, "train", "red", "00.png");
        ImageFile.Save(changed, Picture(1, 0)); // now green, in the red folder
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(1));
        DataSplits rebuilt = DatasetLoader.Load(_dir.Path, images: options);
        Assert.NotEmpty(decoded);
        Assert.NotEqual(first.Train.Images, rebuilt.Train.Images);
        string newCache = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, ".cnn-cache"))); // the stale one is gone
        Assert.NotEqual(cache, newCache);
    }

    [Fact]
    public void One_tree_is_split_by_the_test_fraction_the_same_way_every_time()
    {
        Write("all", 20);
        string root = Path.Combine(_dir.Path, "all");

        DataSplits a = DatasetLoader.Load(root, images: new ImageFolderOptions { ImageSize = 4, TestFraction = 0.25 });
        DataSplits b = DatasetLoader.Load(root, images: new ImageFolderOptions { ImageSize = 4, TestFraction = 0.25 });

        Assert.Equal(60, a.Train.Count + a.Test.Count);
        Assert.InRange(a.Test.Count, 5, 25);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.Contains("0.25 of each class", a.TestSource);
    }

    [Fact]
    public void A_corrupt_image_is_skipped_with_its_path_or_stops_the_load()
    {
        Write("train", 3);
        Write("test", 1);
        string broken = Path.Combine(_dir.Path, "train", "green", "broken.png");
        File.WriteAllBytes(broken, ImageFile.EncodePng(Picture(1, 0))[..40]);

        DataSplits data = DatasetLoader.Load(_dir.Path, images: new ImageFolderOptions { ImageSize = 4 });
        Assert.Equal(9, data.Train.Count);
        Assert.Contains(data.Warnings, w => w.StartsWith("skipped " + broken + ": ", StringComparison.Ordinal));
        Assert.Contains(data.Warnings, w => w.Contains("--bad-images stop"));

        var e = Assert.Throws<InvalidDataFileException>(() =>
            DatasetLoader.Load(_dir.Path, images: new ImageFolderOptions { ImageSize = 5, BadImages = BadImagePolicy.Stop }));
        Assert.Contains(broken, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Layout_mistakes_get_clear_messages()
    {
        Write("train", 2);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "train", "empty"));
        var empty = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));
        Assert.Contains(Path.Combine("train", "empty") + ": the class folder holds no images", empty.Message);
        Directory.Delete(Path.Combine(_dir.Path, "train", "empty"));

        Write("test", 1);
        string extra = Path.Combine(_dir.Path, "test", "purple");
        Directory.CreateDirectory(extra);
        ImageFile.Save(Path.Combine(extra, "p.png"), Picture(0, 0));
        var onlyInTest = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));
        Assert.Contains("class 'purple' is in test/ but not in train/", onlyInTest.Message);
        Directory.Delete(extra, recursive: true);

        var mismatch = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path, ["a", "b"]));
        Assert.Contains("its class folders are blue, green, red, but the model was trained on a, b", mismatch.Message);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, too late for an assertion).</summary>
    private sealed class SyncProgress(Action<ImageFolderProgress> report) : IProgress<ImageFolderProgress>
    {
        public void Report(ImageFolderProgress value) => report(value);
    }
}
