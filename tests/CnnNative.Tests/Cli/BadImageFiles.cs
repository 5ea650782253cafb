using System.Text;
using CnnNative.Data.Imaging;
using CnnNative.Tests.Imaging;

namespace CnnNative.Tests.Cli;

/// <summary>Image files every command that reads images must refuse: name, content, and a phrase of the expected message.</summary>
internal static class BadImageFiles
{
    public static TheoryData<string, byte[], string> Cases()
    {
        byte[] good = ImageFile.EncodePng(new GrayImage(8, 8, Enumerable.Range(0, 64).Select(i => (byte)(i * 4)).ToArray()));
        return new TheoryData<string, byte[], string>
        {
            { "notes.png", Encoding.UTF8.GetBytes("these are notes, not a picture\n"), "not an image this tool reads" },
            { "empty.png", [], "empty" },
            { "truncated.png", good[..(good.Length / 2)], "truncated" },
            { "huge.png", PngTestFiles.File(PngTestFiles.Header(16384, 16384, 8, 0), PngTestFiles.ImageData([0]), PngTestFiles.End()), "pixel limit" },
            { "zero.pgm", Encoding.ASCII.GetBytes("P5\n0 0\n255\n"), "zero size (0×0)" },
        };
    }
}
