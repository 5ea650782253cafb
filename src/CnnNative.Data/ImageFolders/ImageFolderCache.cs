using System.Security.Cryptography;
using System.Text;
using CnnNative.Core;

namespace CnnNative.Data.ImageFolders;

/// <summary>
/// The decoded, resized, converted pixels of a folder data set, kept so that later runs never
/// decode again. Written atomically to <c>&lt;data&gt;/.cnn-cache/</c> (or, when the data folder is
/// read-only, to the user's cache folder, <c>$XDG_CACHE_HOME/cnnnative</c>). The file name
/// carries a SHA-256 key over the format version, size, channels, background, test split and
/// every image's relative path, length and modification time: a changed, added or removed
/// file gives another key, so a stale cache is never read (and is deleted when the new one is written).
/// <para>Format (little-endian): "CNNIMGS1", int32 width, height, channels; int32 class count and
/// the names (7-bit length-prefixed UTF-8); int32 train count, test count; int32 label per
/// image, train first; int32 skipped count and a "path: reason" string each; then one byte
/// per value (0–255, value/255 is the pixel), NCHW, train first.</para>
/// </summary>
internal static class ImageFolderCache
{
    private static readonly byte[] Magic = "CNNIMGS1"u8.ToArray();
    public const string FolderName = ".cnn-cache";

    public sealed record Contents(int Size, int Channels, IReadOnlyList<string> ClassNames,
        int[] TrainLabels, int[] TestLabels, byte[] Pixels, IReadOnlyList<string> Skipped);

    /// <summary>Where the cache for this scan and these options lives: a path beside the data when that folder is writable.</summary>
    public static string PathFor(ImageFolderScan scan, ImageFolderOptions options)
    {
        string name = $"{options.ImageSize}x{options.ImageSize}x{options.Channels}-{Key(scan, options)}.images";
        string beside = Path.Combine(scan.Root, FolderName);
        return Writable(beside) ? Path.Combine(beside, name) : Path.Combine(UserCacheFolder(scan.Root), name);
    }

    public static Contents? TryRead(string path, ImageFolderScan scan, ImageFolderOptions options)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            int width = reader.ReadInt32(), height = reader.ReadInt32(), channels = reader.ReadInt32();
            if (width != options.ImageSize || height != options.ImageSize || channels != options.Channels) return null;
            var names = new string[reader.ReadInt32()];
            for (int i = 0; i < names.Length; i++) names[i] = reader.ReadString();
            if (!names.SequenceEqual(scan.ClassNames)) return null;
            int trainCount = reader.ReadInt32(), testCount = reader.ReadInt32();
            int[] train = ReadInts(reader, trainCount), test = ReadInts(reader, testCount);
            var skipped = new string[reader.ReadInt32()];
            for (int i = 0; i < skipped.Length; i++) skipped[i] = reader.ReadString();
            long values = (long)(trainCount + testCount) * channels * width * height;
            byte[] pixels = reader.ReadBytes(checked((int)values));
            return pixels.Length == values ? new Contents(width, channels, names, train, test, pixels, skipped) : null;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException or OverflowException)
        {
            return null; // a damaged cache is rebuilt, never trusted
        }
    }

    public static void Write(string path, Contents contents)
    {
        string folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(contents.Size);
            writer.Write(contents.Size);
            writer.Write(contents.Channels);
            writer.Write(contents.ClassNames.Count);
            foreach (string name in contents.ClassNames) writer.Write(name);
            writer.Write(contents.TrainLabels.Length);
            writer.Write(contents.TestLabels.Length);
            foreach (int label in contents.TrainLabels) writer.Write(label);
            foreach (int label in contents.TestLabels) writer.Write(label);
            writer.Write(contents.Skipped.Count);
            foreach (string line in contents.Skipped) writer.Write(line);
            writer.Write(contents.Pixels);
        }
        AtomicFile.WriteAllBytes(path, buffer.ToArray());
        // Caches of the same size and channels under another key describe files that have changed since.
        string prefix = Path.GetFileName(path)[..(Path.GetFileName(path).IndexOf('-') + 1)];
        foreach (string stale in Directory.EnumerateFiles(folder, prefix + "*.images"))
            if (!string.Equals(stale, path, StringComparison.Ordinal))
                File.Delete(stale);
    }

    private static int[] ReadInts(BinaryReader reader, int count)
    {
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = reader.ReadInt32();
        return values;
    }

    private static string Key(ImageFolderScan scan, ImageFolderOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add("cnn-image-cache-1");
        Add($"{options.ImageSize} {options.Channels} {options.Background} {scan.TestSource}");
        foreach (var (split, entries) in new[] { ("train", scan.Train), ("test", scan.Test) })
            foreach (ImageEntry entry in entries)
            {
                var info = new FileInfo(Path.Combine(scan.Root, entry.RelativePath));
                Add($"{split} {entry.Label} {entry.RelativePath} {info.Length} {info.LastWriteTimeUtc.Ticks}");
            }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static bool Writable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string UserCacheFolder(string root)
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseFolder = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16];
        return Path.Combine(baseFolder, "cnnnative", id);
    }
}
