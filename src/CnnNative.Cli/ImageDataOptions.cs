using System.CommandLine;
using System.Globalization;
using CnnNative.Data;
using CnnNative.Data.ImageFolders;
using CnnNative.Data.Imaging;

namespace CnnNative.Cli;

/// <summary>
/// The options that say how a data folder becomes tensors: for folders of class folders the
/// image size, channels, background, test share and what to do with unreadable images; for
/// IDX folders the class names. <see cref="Add"/> puts them on a command, <see cref="Read"/>
/// turns what was parsed into the loader's options, with one-sentence usage errors.
/// </summary>
internal sealed class ImageDataOptions
{
    private readonly Option<int?> _imageSize = new("--image-size")
    {
        Description = "Folders of images: the side of the square each image is resized to (area averaging). Default 28.",
        HelpName = "N",
    };

    private readonly Option<int?> _channels = new("--channels")
    {
        Description = "Folders of images: 1 (gray, BT.601 luma: 0.299 R + 0.587 G + 0.114 B) or 3 (RGB). Default 1.",
        HelpName = "1|3",
    };

    private readonly Option<string> _background = new("--background")
    {
        Description = "Folders of images: what transparent pixels are composited on: white, black, gray or #rrggbb.",
        HelpName = "COLOUR",
        DefaultValueFactory = _ => "white",
    };

    private readonly Option<double?> _testFraction = new("--test-fraction")
    {
        Description = "Folders of images without a test/ tree: the share of each class held out for testing, chosen by a hash of each file's path. Default 0.2.",
        HelpName = "F",
    };

    private readonly Option<string> _badImages = new("--bad-images")
    {
        Description = "Folders of images: skip (leave unreadable images out, each named in a warning) or stop (fail at the first).",
        HelpName = "skip|stop",
        DefaultValueFactory = _ => "skip",
    };

    private readonly Option<string?> _classes = new("--classes")
    {
        Description = $"IDX folders: the class names in label order, comma-separated (else {CnnNative.Data.ClassNames.FileName} in the folder, Fashion-MNIST's names for its own label files, or the label numbers).",
        HelpName = "A,B,…",
    };

    public void Add(Command command)
    {
        command.Options.Add(_imageSize);
        command.Options.Add(_channels);
        command.Options.Add(_background);
        command.Options.Add(_testFraction);
        command.Options.Add(_badImages);
        command.Options.Add(_classes);
    }

    /// <summary>The class names given with --classes, or null.</summary>
    public IReadOnlyList<string>? ClassNames(ParseResult parse)
    {
        string? text = parse.GetValue(_classes);
        if (text is null) return null;
        try
        {
            return Data.ClassNames.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message, ExitCodes.Usage, e);
        }
    }

    /// <summary>The image-folder options as parsed; <paramref name="progress"/> hears how decoding goes.</summary>
    public ImageFolderOptions Read(ParseResult parse, IProgress<ImageFolderProgress>? progress)
    {
        var options = new ImageFolderOptions { Progress = progress };
        if (parse.GetValue(_imageSize) is { } size)
        {
            if (size is < 1 or > 1024) throw new CliException($"--image-size must be between 1 and 1024, got {size}.", ExitCodes.Usage);
            options = options with { ImageSize = size };
        }
        if (parse.GetValue(_channels) is { } channels)
        {
            if (channels is not (1 or 3)) throw new CliException($"--channels must be 1 (gray) or 3 (RGB), got {channels}.", ExitCodes.Usage);
            options = options with { Channels = channels };
        }
        if (parse.GetValue(_testFraction) is { } fraction)
        {
            if (!(fraction > 0 && fraction < 1)) throw new CliException($"--test-fraction must be between 0 and 1, got {fraction.ToString(CultureInfo.InvariantCulture)}.", ExitCodes.Usage);
            options = options with { TestFraction = fraction };
        }
        try
        {
            options = options with { Background = RgbColour.Parse(parse.GetValue(_background)!) };
        }
        catch (FormatException e)
        {
            throw new CliException($"--background: {e.Message}", ExitCodes.Usage, e);
        }
        options = parse.GetValue(_badImages)!.Trim().ToLowerInvariant() switch
        {
            "skip" => options with { BadImages = BadImagePolicy.Skip },
            "stop" => options with { BadImages = BadImagePolicy.Stop },
            string other => throw new CliException($"--bad-images must be skip or stop, got '{other}'.", ExitCodes.Usage),
        };
        return options;
    }
}

/// <summary>
/// "decoding images [#####-----] 512/1024" on standard error while a folder's cache is built:
/// redrawn in place on a terminal, one line per tenth otherwise (logs stay short).
/// </summary>
internal sealed class ImageDecodeProgressBar(TextWriter error, bool interactive) : IProgress<ImageFolderProgress>
{
    private int _lastTenth = -1;

    public void Report(ImageFolderProgress value)
    {
        int tenth = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
        string line = $"decoding images [{new string('#', tenth)}{new string('-', 10 - tenth)}] {value.Done}/{value.Total}";
        if (interactive)
        {
            error.Write("\r" + line + (value.Done == value.Total ? "\n" : ""));
        }
        else if (tenth != _lastTenth)
        {
            error.WriteLine(line);
        }
        _lastTenth = tenth;
        error.Flush();
    }
}
