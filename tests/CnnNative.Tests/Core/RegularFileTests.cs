using CnnNative.Core;
using CnnNative.Tests.Data;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Core;

public sealed class RegularFileTests : IDisposable
{
    private readonly TempFolder _dir = new("regular-file");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_regular_file_opens_and_reports_its_length()
    {
        string path = _dir.File("data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal(3, RegularFile.Check(path));
        using var stream = RegularFile.OpenRead(path);
        Assert.Equal(3, stream.Length);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_naming_the_path()
    {
        string path = _dir.File("nope");
        var e = Assert.Throws<FileNotFoundException>(() => RegularFile.OpenRead(path));
        Assert.Equal($"'{path}' does not exist.", e.Message);
    }

    [Fact]
    public void A_folder_is_refused_as_a_folder_not_as_access_denied()
    {
        var e = Assert.Throws<NotARegularFileException>(() => RegularFile.OpenRead(_dir.Path));
        Assert.Equal(FileKind.Folder, e.Kind);
        Assert.Contains("is a folder, not a regular file", e.Message);
    }

    [Fact]
    public void Pipes_and_devices_are_refused_before_open()
    {
        if (!OperatingSystem.IsLinux()) return; // the file type comes from statx on Linux
        string fifo = _dir.File("pipe");
        SpecialFiles.MakeFifo(fifo);

        Assert.Equal(FileKind.Fifo, Assert.Throws<NotARegularFileException>(() => RegularFile.OpenRead(fifo)).Kind);
        Assert.Equal(FileKind.CharacterDevice, Assert.Throws<NotARegularFileException>(() => RegularFile.OpenRead("/dev/zero")).Kind);
        Assert.Contains("character device", Assert.Throws<NotARegularFileException>(() => RegularFile.ReadAllText("/dev/urandom")).Message);
    }

    [Fact]
    public void ReadAllBytes_refuses_a_file_above_the_limit_before_reading()
    {
        string path = _dir.File("big.bin");
        File.WriteAllBytes(path, new byte[100]);

        Assert.Equal(100, RegularFile.ReadAllBytes(path, 100).Length);
        var e = Assert.Throws<IOException>(() => RegularFile.ReadAllBytes(path, 99));
        Assert.Contains("is 100 bytes, more than the 99 allowed", e.Message);
    }
}
