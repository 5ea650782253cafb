namespace CnnNative.Data.Imaging;

/// <summary>
/// Reads the bytes of an image file safely: only a regular, non-empty file no larger than
/// <see cref="ImageLimits.MaxFileBytes"/>, and never more bytes than its size said.
/// </summary>
internal static class ImageFileReader
{
    public static byte[] ReadAllBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (Directory.Exists(path))
            throw new ImageFormatException($"{path}: this is a folder, not an image file.");
        if (!info.Exists)
            throw new FileNotFoundException($"{path}: no such image file.", path);
        // FIFOs, sockets and devices report a size of 0, and opening a FIFO blocks until a writer
        // comes, so the size is checked before the file is opened: that refuses them without a
        // platform call, together with really empty files.
        long length = info.Length;
        if (length == 0)
            throw new ImageFormatException($"{path}: the file is empty or is not a regular file (a pipe or a device); give an image file.");
        if (length > ImageLimits.MaxFileBytes)
            throw new ImageFormatException(
                $"{path}: the file is {length / (1024 * 1024)} MiB, more than the {ImageLimits.MaxFileBytes / (1024 * 1024)} MiB an image file may have here.");

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        // Read at most the size stat reported: a file that grows meanwhile cannot make this unbounded.
        var data = new byte[length];
        int read = 0;
        while (read < data.Length)
        {
            int n = stream.Read(data, read, data.Length - read);
            if (n == 0) break;
            read += n;
        }
        return read == data.Length ? data : data[..read];
    }
}
