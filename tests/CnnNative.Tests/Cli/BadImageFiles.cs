using System.Text;
using CnnNative.Data.Imaging;
using CnnNative.Tests.Imaging;

namespace CnnNative.Tests.Cli;

/// <summary>Image files every command that reads images must refuse: name, content, and a phrase of the expected message.</summary>
internal static class BadImageFiles
{
    public static TheoryData<string, byte[], string> Cases()
    {
        byte[] good = PngCodec.Encode(new GrayImage(8, 8, Enumerable.Range(0, 64).Select(i => (byte)(i * 4)).ToArray()));
        return new TheoryData<string, byte[], string>
        {
            { "notes.png", Encoding.UTF8.GetBytes("these are notes, not a picture\n"), "neither a PNG nor a PGM image" },
            { "empty.png", [], "empty" },
            { "truncated.png", good[..(good.Length / 2)], "truncated" },
            { "sixteen-bit.png", PngTestFiles.File(PngTestFiles.Header(2, 2, 16, 0), PngTestFiles.End()), "16-bit PNG files are not supported" },
            { "interlaced.png", PngTestFiles.File(PngTestFiles.Header(2, 2, 8, 0, interlace: 1), PngTestFiles.End()), "Interlaced (Adam7)" },
            { "zero-width.png", PngTestFiles.File(PngTestFiles.Header(0, 5, 8, 0), PngTestFiles.End()), "zero size (0×5)" },
            { "zero.pgm", Encoding.ASCII.GetBytes("P5\n0 0\n255\n"), "zero size (0×0)" },
        };
    }
}
