using System.Text.RegularExpressions;
using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

/// <summary>Every damaged or unsupported PNG fails with an <see cref="ImageFormatException"/> whose one sentence names the problem.</summary>
public sealed partial class PngBadInputTests
{
    public static TheoryData<string, byte[], string> Cases()
    {
        byte[] good = PngTestFiles.SmallGray();
        var badCrc = (byte[])good.Clone();
        badCrc[8 + 8 + 3] ^= 0x01; // a width byte inside IHDR's data
        var notPng = "GIF89a\x01\x00\x01\x00"u8.ToArray();
        var data = new TheoryData<string, byte[], string>
        {
            { "empty", [], "empty" },
            { "not a PNG", notPng, "not a PNG image" },
            { "signature only", PngTestFiles.Signature, "truncated" },
            { "cut inside IDAT", good[..(good.Length - 20)], "truncated: its 'IDAT' chunk" },
            { "cut before IEND", good[..(good.Length - 12)], "without its IEND chunk" },
            { "bad CRC", badCrc, "'IHDR' chunk fails the CRC check" },
            { "16-bit gray", PngTestFiles.File(PngTestFiles.Header(2, 2, 16, 0), PngTestFiles.End()), "16-bit PNG files are not supported" },
            { "16-bit RGBA", PngTestFiles.File(PngTestFiles.Header(2, 2, 16, 6), PngTestFiles.End()), "16-bit PNG files are not supported" },
            { "interlaced", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0, interlace: 1), PngTestFiles.End()), "Interlaced (Adam7)" },
            { "zero width", PngTestFiles.File(PngTestFiles.Header(0, 5, 8, 0), PngTestFiles.End()), "zero size (0×5)" },
            { "zero height", PngTestFiles.File(PngTestFiles.Header(5, 0, 8, 2), PngTestFiles.End()), "zero size (5×0)" },
            { "huge", PngTestFiles.File(PngTestFiles.Header(100_000, 100_000, 8, 0), PngTestFiles.End()), "larger than" },
            { "bad depth", PngTestFiles.File(PngTestFiles.Header(2, 2, 4, 2), PngTestFiles.End()), "bit depth 4 is not valid for colour type 2" },
            { "bad colour type", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 5), PngTestFiles.End()), "colour type 5 does not exist" },
            { "first chunk not IHDR", PngTestFiles.File(PngTestFiles.End()), "first chunk is 'IEND'" },
            { "no IDAT", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.End()), "no image data" },
            { "palette without PLTE", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 3), PngTestFiles.ImageData([0, 0, 0, 0, 0, 0]), PngTestFiles.End()), "without a PLTE chunk" },
            { "palette index too high", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 3), PngTestFiles.Chunk("PLTE", [1, 2, 3]),
                PngTestFiles.ImageData([0, 0, 1, 0, 0, 0]), PngTestFiles.End()), "palette index 1 but the palette has 1 colours" },
            { "unknown filter", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.ImageData([0, 1, 2, 9, 3, 4]), PngTestFiles.End()), "row 1 uses filter type 9" },
            { "too little data", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.ImageData([0, 1, 2]), PngTestFiles.End()), "inflates to 3 bytes but 6 are needed" },
            { "not zlib", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.Chunk("IDAT", [1, 2, 3, 4, 5, 6, 7]), PngTestFiles.End()), "cannot be inflated" },
            { "unknown critical chunk", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.Chunk("ABCD", [1]), PngTestFiles.End()), "critical chunk 'ABCD'" },
            { "second IHDR", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.End()), "second IHDR" },
            { "tRNS on RGBA", PngTestFiles.File(PngTestFiles.Header(1, 1, 8, 6), PngTestFiles.Chunk("tRNS", [0, 0]),
                PngTestFiles.ImageData([0, 1, 2, 3, 4]), PngTestFiles.End()), "already carry alpha" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputGivesOneClearSentence(string description, byte[] file, string expected)
    {
        var error = Assert.Throws<ImageFormatException>(() => PngCodec.Decode(file));

        Assert.Contains(expected, error.Message);
        AssertOneSentence(error.Message, description);
    }

    [Fact]
    public void AncillaryUnknownChunkIsSkipped()
    {
        byte[] file = PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0), PngTestFiles.Chunk("zzZz", [1, 2]),
            PngTestFiles.ImageData([0, 10, 20, 0, 30, 40]), PngTestFiles.End());

        Assert.Equal([10, 20, 30, 40], PngCodec.Decode(file).Pixels);
    }

    [Fact]
    public void EveryTruncationFailsCleanly()
    {
        // Cutting a valid file anywhere must give ImageFormatException, never an index or zlib exception.
        byte[] good = PngCodec.Encode(new RasterImage(5, 4, PixelLayout.Rgb, new byte[60]));
        for (int length = 0; length < good.Length; length++)
            Assert.Throws<ImageFormatException>(() => PngCodec.Decode(good.AsSpan(0, length)));
    }

    [Fact]
    public void EveryFlippedBitIsCaught()
    {
        // The signature, the CRCs and the zlib checksum between them catch any single-bit error.
        byte[] good = PngCodec.Encode(new RasterImage(3, 3, PixelLayout.Gray, [1, 2, 3, 4, 5, 6, 7, 8, 9]));
        for (int i = 0; i < good.Length; i++)
        {
            var damaged = (byte[])good.Clone();
            damaged[i] ^= 0x10;
            Assert.Throws<ImageFormatException>(() => PngCodec.Decode(damaged));
        }
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
}
