using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// The 8×8 handwritten digits of seed 003 (scikit-learn's <c>load_digits</c>: 1,797 images, 10
/// classes) as a training and a held-out set: a stratified 80/20 split drawn from the run's seed,
/// the 20 % playing the part of the seed's validation set (it has no other test set). The data
/// ship inside this assembly (<c>Digits/digits.csv.gz</c>, licence in <c>Digits/LICENSE.md</c>);
/// <c>--data digits</c> names them, a path to a <c>.csv</c> or <c>.csv.gz</c> file reads that file.
/// </summary>
public static class DigitsDataset
{
    /// <summary>The <c>--data</c> value that selects the built-in copy.</summary>
    public const string Name = "digits";

    /// <summary>The seed's <c>test_size=0.2</c>.</summary>
    public const double HeldOutFraction = 0.2;

    // A CSV of this data set is ~260 KB; anything far larger is refused before it is read.
    private const long MaxFileBytes = 16L << 20;

    private static readonly string[] DigitNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>True for <c>digits</c> or a path ending in <c>.csv</c> / <c>.csv.gz</c>.</summary>
    public static bool Handles(string? data) =>
        data is not null && (string.Equals(data.Trim(), Name, StringComparison.OrdinalIgnoreCase)
            || data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || data.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the built-in copy or <paramref name="data"/>'s file and splits it by <paramref name="seed"/>.</summary>
    public static DataSplits Load(string data, ulong seed)
    {
        var (bytes, source) = ReadBytes(data);
        var (images, labels) = DigitsCsv.Read(bytes, source);
        var (kept, heldOut) = StratifiedSplit.Split(labels, DigitsCsv.Classes, HeldOutFraction, seed);
        var files = new List<DataFile> { new("digits", source, bytes.Length) };
        return new DataSplits(source, Subset("train", images, labels, kept), Subset("test", images, labels, heldOut), files);
    }

    private static (byte[] Bytes, string Source) ReadBytes(string data)
    {
        if (string.Equals(data.Trim(), Name, StringComparison.OrdinalIgnoreCase))
        {
            using var resource = typeof(DigitsDataset).Assembly.GetManifestResourceStream("CnnNative.Data.Digits.digits.csv.gz")
                ?? throw new InvalidOperationException("The built-in digits data are missing from CnnNative.Data.dll; rebuild the package.");
            var copy = new MemoryStream();
            resource.CopyTo(copy);
            return (copy.ToArray(), Name);
        }
        string path = Path.GetFullPath(data);
        const string fix = "Pass --data digits for the built-in copy, or the path of a digits.csv(.gz) file.";
        try
        {
            long length = RegularFile.Check(path);
            if (length > MaxFileBytes)
                throw new InvalidDataFileException(path, $"is {length:N0} bytes; a digits CSV is about 260 KB (57 KB gzipped).", fix);
            return (RegularFile.ReadAllBytes(path, MaxFileBytes), path);
        }
        catch (FileNotFoundException) { throw new InvalidDataFileException(path, "does not exist.", fix); }
        catch (NotARegularFileException e) { throw new InvalidDataFileException(path, e.Problem, fix); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataFileException(path, $"cannot be read ({e.Message.TrimEnd('.')}).", fix, e);
        }
    }

    private static Dataset Subset(string split, float[] images, float[] labels, int[] indices)
    {
        const int size = DigitsCsv.Side * DigitsCsv.Side;
        var x = new float[indices.Length * size];
        var y = new float[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            images.AsSpan(indices[i] * size, size).CopyTo(x.AsSpan(i * size));
            y[i] = labels[indices[i]];
        }
        return new Dataset(split, x, y, 1, DigitsCsv.Side, DigitsCsv.Side, DigitNames);
    }
}
