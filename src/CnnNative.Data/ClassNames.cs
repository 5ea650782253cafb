using System.Security.Cryptography;

namespace CnnNative.Data;

/// <summary>
/// Human names of the classes of an IDX data set. They come from, in order: the caller
/// (<c>--classes a,b,…</c>), a <c>classes.txt</c> in the data folder (one name per line, in
/// label order), Fashion-MNIST's published names when the labels are Fashion-MNIST's own
/// (recognised by the SHA-256 of their contents, wherever the files are, so Debian's
/// <c>dataset-fashion-mnist</c> keeps its names), and otherwise the label numbers. Nothing is
/// guessed from the folder's name.
/// </summary>
public static class ClassNames
{
    /// <summary>The file in an IDX folder that names its classes, one per line in label order.</summary>
    public const string FileName = "classes.txt";

    /// <summary>Fashion-MNIST's ten classes, in label order (Zalando's published table).</summary>
    public static IReadOnlyList<string> FashionMnist { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST's ten digits "0" … "9".</summary>
    public static IReadOnlyList<string> Digits { get; } = Numbers(10);

    /// <summary>SHA-256 of the label bytes (after the IDX header) of Fashion-MNIST's training and test files.</summary>
    private static readonly string[] FashionMnistLabelHashes =
    [
        "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7",
        "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9",
    ];

    /// <summary>"0", "1", … up to <paramref name="count"/> − 1.</summary>
    public static IReadOnlyList<string> Numbers(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// The names for an IDX folder whose labels are <paramref name="labels"/>: classes.txt when
    /// present, Fashion-MNIST's when the labels are its own, otherwise the numbers 0 … max label
    /// (at least two classes).
    /// </summary>
    public static IReadOnlyList<string> ForIdxFolder(string folder, params byte[][] labels)
    {
        string file = Path.Combine(folder, FileName);
        if (File.Exists(file)) return Read(file);
        foreach (byte[] set in labels)
            if (FashionMnistLabelHashes.Contains(Convert.ToHexStringLower(SHA256.HashData(set))))
                return FashionMnist;
        int max = 1;
        foreach (byte[] set in labels)
            foreach (byte label in set)
                max = Math.Max(max, label);
        return max < 10 ? Digits : Numbers(max + 1);
    }

    /// <summary>Names from a classes.txt: one per line, surrounding spaces and blank lines ignored.</summary>
    public static IReadOnlyList<string> Read(string path)
    {
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length < 2)
            throw new InvalidDataFileException(path, $"it names {names.Length} class(es).", "Write one class name per line, in label order, at least two.");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new InvalidDataFileException(path, "it names a class twice.", "Give every class its own name.");
        return names;
    }

    /// <summary>Names from <c>--classes a,b,…</c>.</summary>
    public static IReadOnlyList<string> Parse(string commaSeparated)
    {
        var names = commaSeparated.Split(',').Select(n => n.Trim()).ToArray();
        if (names.Length < 2 || names.Any(n => n.Length == 0))
            throw new FormatException($"--classes '{commaSeparated}' must name at least two classes, comma-separated, none empty.");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new FormatException($"--classes '{commaSeparated}' names a class twice.");
        return names;
    }
}
