namespace CnnNative.Data;

/// <summary>Human names of the classes of the standard MNIST-format data sets.</summary>
public static class ClassNames
{
    /// <summary>Fashion-MNIST's ten classes, in label order (Zalando's published table).</summary>
    public static IReadOnlyList<string> FashionMnist { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST's ten digits "0" … "9".</summary>
    public static IReadOnlyList<string> Digits { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// The names to assume for a data folder: Fashion-MNIST's when the path says "fashion"
    /// (Debian's /usr/share/datasets/fashion-mnist, a downloaded fashion-mnist/ folder), the
    /// digits otherwise. Callers with other data pass their own names to the loader.
    /// </summary>
    public static IReadOnlyList<string> Guess(string folder) =>
        folder.Contains("fashion", StringComparison.OrdinalIgnoreCase) ? FashionMnist : Digits;
}
