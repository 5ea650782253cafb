using System.CommandLine;
using CnnNative.Data;

namespace CnnNative.Cli;

/// <summary>
/// Options several commands share, created fresh per command so each command owns its
/// symbols; every command that reads data uses the same name, default and help text.
/// </summary>
internal static class CommonOptions
{
    /// <summary>--data DIR: an MNIST-format folder; Debian's Fashion-MNIST when omitted.</summary>
    public static Option<string> Data() => new("--data", "-d")
    {
        Description = $"MNIST-format folder (train-/t10k- images and labels, plain or .gz), a folder of class folders of images, or `digits` (the built-in 8×8 digits of seed 003, split 80/20 by --seed). Without it, Fashion-MNIST from Debian's package (apt-get install dataset-fashion-mnist).",
        HelpName = "DIR",
        DefaultValueFactory = _ => DatasetLoader.DefaultFolder,
    };
}
