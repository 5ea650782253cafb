using System.Text;
using System.Text.RegularExpressions;
using CnnNative.Core;
using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>Every damaged, hostile or unreadable image fails with an <see cref="ImageFormatException"/> whose one sentence names the problem.</summary>
public sealed partial class ImageBadInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cnn-badimage-").FullName;

    public static TheoryData<string, byte[], string> Cases()
    {
        byte[] good = PngTestFiles.SmallGray();
        byte[] jpeg = ImageFixtures.Jpeg(new RasterImage(16, 16, PixelLayout.Rgb, new byte[16 * 16 * 3]));
        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "empty" },
            { "text", Encoding.UTF8.GetBytes("these are notes, not a picture\n"), "not an image this tool reads" },
            { "signature only", PngTestFiles.Signature, "truncated" },
            { "cut inside IDAT", good[..(good.Length - 30)], "truncated" },
            { "jpeg cut in half", jpeg[..(jpeg.Length / 2)], "truncated" },
            { "zero width", PngTestFiles.File(PngTestFiles.Header(0, 5, 8, 0), PngTestFiles.End()), "header is corrupt" },
            // 16384 × 16384 claimed by a file of a few dozen bytes: refused from the header, before any allocation.
            { "huge claim", PngTestFiles.File(PngTestFiles.Header(16384, 16384, 8, 0), PngTestFiles.ImageData([0]), PngTestFiles.End()), "67,108,864-pixel limit" },
            { "not zlib", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.Chunk("IDAT", [1, 2, 3, 4, 5, 6, 7]), PngTestFiles.End()), "PNG image" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputGivesOneClearSentence(string description, byte[] file, string expected)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageFile.Decode(file));

        Assert.Contains(expected, error.Message);
        AssertOneSentence(error.Message, description);
    }

    [Fact]
    public void EveryTruncationFailsCleanlyOrKeepsEveryPixel()
    {
        // Cutting a valid file anywhere gives ImageFormatException, never a crash or a half-decoded
        // image; a cut after the last pixel (in the checksums or the end chunk) still decodes whole.
        foreach (byte[] good in new[]
        {
            ImageFile.EncodePng(new RasterImage(5, 4, PixelLayout.Rgb, Enumerable.Range(0, 60).Select(i => (byte)(i * 4)).ToArray())),
            ImageFixtures.Jpeg(new RasterImage(16, 16, PixelLayout.Gray, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray())),
        })
        {
            byte[] whole = ImageFile.Decode(good).Pixels;
            int decoded = 0;
            for (int length = 0; length < good.Length; length++)
            {
                try
                {
                    Assert.Equal(whole, ImageFile.Decode(good.AsSpan(0, length)).Pixels);
                    decoded++;
                }
                catch (ImageFormatException)
                {
                }
            }
            Assert.True(decoded < good.Length / 4, $"{decoded} of {good.Length} cuts decoded"); // only cuts near the end may still decode
        }
    }

    [Fact]
    public void FlippedBitsDecodeOrFailCleanly()
    {
        byte[] good = ImageFixtures.Jpeg(new RasterImage(8, 8, PixelLayout.Rgb, Enumerable.Range(0, 192).Select(i => (byte)i).ToArray()));
        for (int i = 0; i < good.Length; i++)
        {
            var damaged = (byte[])good.Clone();
            damaged[i] ^= 0x10;
            try
            {
                RasterImage image = ImageFile.Decode(damaged);
                Assert.True(image.Width * image.Height <= ImageLimits.MaxPixels);
            }
            catch (ImageFormatException)
            {
            }
        }
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutWaitingForAWriter()
    {
        if (OperatingSystem.IsWindows()) return; // no mkfifo; Windows pipes live outside the file system
        string fifo = Path.Combine(_folder, "pipe.png");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();

        var load = Task.Run(() => ImageFile.Load(fifo));
        Task first = await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(first == load, "Loading a FIFO hung.");
        var error = await Assert.ThrowsAsync<NotARegularFileException>(() => load);
        Assert.Contains("named pipe (FIFO), not a regular file", error.Message);
    }

    [Fact]
    public void DevZeroIsRefusedWithoutReadingForever()
    {
        if (!File.Exists("/dev/zero")) return; // Windows has no /dev/zero to guard against
        var error = Assert.ThrowsAny<Exception>(() => ImageFile.Load("/dev/zero"));
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public void AFolderIsRefused()
    {
        var error = Assert.Throws<NotARegularFileException>(() => ImageFile.Load(_folder));
        Assert.Contains("is a folder", error.Message);
    }

    [Fact]
    public void ErrorsFromFilesNameThePath()
    {
        string path = Path.Combine(_folder, "notes.jpg");
        File.WriteAllText(path, "not a photo");

        var error = Assert.Throws<ImageFormatException>(() => ImageFile.Load(path));
        Assert.StartsWith(path + ": ", error.Message);
    }

    internal static void AssertOneSentence(string message, string context)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), context);
        Assert.EndsWith(".", message);
        Assert.False(SentenceBreak().IsMatch(message), $"{context}: more than one sentence: {message}");
        Assert.DoesNotContain('\n', message);
    }

    [GeneratedRegex(@"[.!?]\s+[A-Z]")]
    private static partial Regex SentenceBreak();

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
