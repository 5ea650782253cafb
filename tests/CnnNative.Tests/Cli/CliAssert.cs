using CnnNative.Cli;
using CnnNative.Tests.Imaging;

namespace CnnNative.Tests.Cli;

internal static class CliAssert
{
    public static void Succeeded(CliResult r)
    {
        Assert.True(r.Exit == ExitCodes.Success, $"exit {r.Exit}: {r.Err}");
    }

    /// <summary>Failed with <paramref name="exit"/> and exactly one error line: "cnn: " and one sentence containing <paramref name="expected"/>.</summary>
    public static string FailedWithOneSentence(CliResult r, string expected, int exit = ExitCodes.Failure)
    {
        Assert.True(r.Exit == exit, $"exit {r.Exit} (expected {exit}); out: {r.Out}; err: {r.Err}");
        string line = Assert.Single(r.ErrLines);
        Assert.StartsWith("cnn: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("(Parameter '", line);
        ImageBadInputTests.AssertOneSentence(line["cnn: ".Length..].TrimEnd('\r'), expected);
        return line;
    }

    /// <summary>The folder holds exactly <paramref name="names"/>: nothing new, not even a temporary file.</summary>
    public static void FolderHolds(string folder, params string[] names) =>
        Assert.Equal(names.Order(), Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
}
