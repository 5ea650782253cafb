using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cnn-atomic-").FullName;

    [Fact]
    public void WritesAndReplacesWithoutLeavingTemporaries()
    {
        string path = Path.Combine(_folder, "report.html");

        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");

        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void FailedWriteLeavesNothingBehind()
    {
        string path = Path.Combine(_folder, "missing-folder", "out.png");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllBytes(path, [1, 2, 3]));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void ImageFileSavesByExtension()
    {
        var image = new GrayImage(2, 2, [1, 2, 3, 4]);
        string png = Path.Combine(_folder, "a.png"), pgm = Path.Combine(_folder, "a.PGM");

        ImageFile.Save(png, image);
        ImageFile.Save(pgm, image);

        Assert.True(PngCodec.IsPng(File.ReadAllBytes(png)));
        Assert.True(PgmCodec.IsPgm(File.ReadAllBytes(pgm)));
        Assert.Equal(image.Pixels, ImageFile.LoadGray(png).Pixels);
        Assert.Equal(image.Pixels, ImageFile.LoadGray(pgm).Pixels);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
