using CnnNative.Core;

namespace CnnNative.Data.Imaging;

/// <summary>
/// Reads the bytes of an image file safely: only a regular file (<see cref="RegularFile.Check"/>:
/// a FIFO, device, socket or folder is refused before it is opened), not empty, no larger than
/// <see cref="ImageLimits.MaxFileBytes"/>, and never more bytes than its size said.
/// </summary>
internal static class ImageFileReader
{
    public static byte[] ReadAllBytes(string path)
    {
        long length = RegularFile.Check(path);
        // Where the platform cannot tell the file type (RegularFile falls back to "not a folder"),
        // FIFOs and devices still report a size of 0: refusing that before open() keeps them out too.
        if (length == 0)
            throw new ImageFormatException($"{path}: the file is empty (or not a regular file), not an image.");
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
