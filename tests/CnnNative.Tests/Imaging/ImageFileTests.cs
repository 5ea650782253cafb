using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class ImageFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cnn-imagefile-").FullName;

    [Fact]
    public void SaveChoosesTheFormatByExtensionAndLoadReadsBothBack()
    {
        var image = new GrayImage(2, 2, [1, 2, 3, 4]);
        string png = Path.Combine(_folder, "a.png"), pgm = Path.Combine(_folder, "a.PGM");

        ImageFile.Save(png, image);
        ImageFile.Save(pgm, image);

        Assert.True(PngCodec.IsPng(File.ReadAllBytes(png)));
        Assert.True(PgmCodec.IsPgm(File.ReadAllBytes(pgm)));
        Assert.Equal(image.Pixels, ImageFile.LoadGray(png).Pixels);
        Assert.Equal(image.Pixels, ImageFile.LoadGray(pgm).Pixels);
        Assert.Equal(2, Directory.GetFiles(_folder).Length); // no temporary files left
    }

    [Fact]
    public void SaveIntoAMissingFolderFailsAndWritesNothing()
    {
        string path = Path.Combine(_folder, "missing", "out.png");

        Assert.ThrowsAny<IOException>(() => ImageFile.Save(path, new GrayImage(1, 1)));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void LoadGrayConvertsColourWithLuma()
    {
        string path = Path.Combine(_folder, "red.png");
        ImageFile.SavePng(path, new RasterImage(1, 1, PixelLayout.Rgb, [255, 0, 0]));

        Assert.Equal([76], ImageFile.LoadGray(path).Pixels);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
