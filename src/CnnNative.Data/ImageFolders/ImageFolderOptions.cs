using CnnNative.Data.Imaging;

namespace CnnNative.Data.ImageFolders;

/// <summary>What to do with an image in a data folder that cannot be decoded.</summary>
public enum BadImagePolicy
{
    /// <summary>Leave it out, and list it (path and reason) in the data set's warnings. The default.</summary>
    Skip,

    /// <summary>Stop loading with an error naming the file.</summary>
    Stop,
}

/// <summary>How a folder of class folders becomes a data set.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Side of the square images the network sees (default 28, MNIST's).</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>1 (gray, BT.601 luma) or 3 (RGB).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>What transparent pixels are composited on.</summary>
    public RgbColour Background { get; init; } = RgbColour.White;

    /// <summary>Share of each class held out for testing when the folder has no <c>test/</c> tree (0 &lt; f &lt; 1).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Skip undecodable images with a warning (the default) or stop the load.</summary>
    public BadImagePolicy BadImages { get; init; } = BadImagePolicy.Skip;

    /// <summary>Told how many images of how many are decoded, when the cache has to be built.</summary>
    public IProgress<ImageFolderProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (ImageSize is < 1 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "The image size must be between 1 and 1024 pixels.");
        if (Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Images have 1 (gray) or 3 (RGB) channels.");
        if (!(TestFraction > 0 && TestFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "The test fraction must be between 0 and 1.");
    }
}

/// <param name="Done">Images decoded so far.</param>
/// <param name="Total">Images to decode.</param>
public readonly record struct ImageFolderProgress(int Done, int Total);

/// <summary>Image-folder options that reproduce what a trained model takes.</summary>
public static class ImageFolderInput
{
    /// <summary>
    /// <paramref name="options"/> (or the defaults) with the size and channels of a model input
    /// [C, H, W]: what evaluating, reporting or resuming a model needs its data folder decoded to.
    /// </summary>
    public static ImageFolderOptions Of(IReadOnlyList<int> input, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new ImageFolderOptions();
        return input.Count == 3 && input[0] is 1 or 3
            ? options with { Channels = input[0], ImageSize = input[1] }
            : options;
    }
}
