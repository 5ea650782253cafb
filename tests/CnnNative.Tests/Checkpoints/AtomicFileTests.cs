using CnnNative.Core;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Checkpoints;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _dir = new("atomic");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Writes_and_replaces_text_and_bytes_without_leaving_temporary_files()
    {
        string path = _dir.File("run.json");

        AtomicFile.WriteAllText(path, "first ✓");
        Assert.Equal("first ✓", File.ReadAllText(path));
        Assert.Equal((byte)'f', File.ReadAllBytes(path)[0]); // no byte-order mark

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_writer_that_fails_midway_leaves_the_old_file_and_no_debris()
    {
        string path = _dir.File("metrics.csv");
        AtomicFile.WriteAllText(path, "epoch,loss\n1,0.5\n");

        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("epoch,loss\n1,0.5\n2,"u8);
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal("disk on fire", e.Message);
        Assert.Equal("epoch,loss\n1,0.5\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_missing_folder_gets_a_clear_message()
    {
        string path = Path.Combine(_dir.Path, "no-such-folder", "model.safetensors");

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Contains($"Cannot write '{path}': the folder", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_folder_in_place_of_the_file_gets_a_clear_message()
    {
        string path = _dir.File("model.safetensors");
        Directory.CreateDirectory(path);

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Contains("it is a folder", e.Message);
    }

    [Fact]
    public void An_unwritable_folder_gets_a_clear_message_and_the_file_survives()
    {
        if (OperatingSystem.IsWindows())
            return; // permission bits below are POSIX
        if (Environment.UserName == "root")
        {
            // Root ignores permission bits, but nobody can create files in /proc.
            var denied = Assert.Throws<IOException>(() => AtomicFile.WriteAllText("/proc/cnn-atomic-test", "x"));
            Assert.Contains("Cannot write '/proc/cnn-atomic-test'", denied.Message);
            Assert.Contains("Check that the folder is writable", denied.Message);
            return;
        }
        string path = _dir.File("model.safetensors");
        AtomicFile.WriteAllText(path, "old");
        File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "new"));
            Assert.Contains("Check that the folder is writable", e.Message);
        }
        finally
        {
            File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Assert.Equal("old", File.ReadAllText(path));
    }
}
