using CnnNative.Data;

namespace CnnNative.Tests.Data;

/// <summary>Builds small IDX files and MNIST-format folders for the data tests.</summary>
internal static class IdxFiles
{
    /// <summary>Pixel byte of pixel <paramref name="p"/> of image <paramref name="i"/>: varied, covers 0 and 255.</summary>
    public static byte Pixel(int i, int p) => (byte)((i * 37 + p * 11) % 256);

    public static byte[] Pixels(int count, int rows, int cols)
    {
        var bytes = new byte[count * rows * cols];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < rows * cols; p++)
                bytes[i * rows * cols + p] = Pixel(i, p);
        return bytes;
    }

    public static byte[] Labels(int count, int classes = 10)
    {
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)((i * 7) % classes);
        return labels;
    }

    public static byte[] ImagesFile(int count, int rows, int cols) =>
        IdxWriter.Encode(IdxFormat.ImagesMagic, [count, rows, cols], Pixels(count, rows, cols));

    public static byte[] LabelsFile(int count, int classes = 10) =>
        IdxWriter.Encode(IdxFormat.LabelsMagic, [count], Labels(count, classes));

    /// <summary>Writes the four files of an MNIST-format folder.</summary>
    public static void WriteFolder(string folder, int train, int test, int rows = 4, int cols = 3, bool gzip = true)
    {
        string ext = gzip ? ".gz" : "";
        Write(Path.Combine(folder, "train-images-idx3-ubyte" + ext), ImagesFile(train, rows, cols), gzip);
        Write(Path.Combine(folder, "train-labels-idx1-ubyte" + ext), LabelsFile(train), gzip);
        Write(Path.Combine(folder, "t10k-images-idx3-ubyte" + ext), ImagesFile(test, rows, cols), gzip);
        Write(Path.Combine(folder, "t10k-labels-idx1-ubyte" + ext), LabelsFile(test), gzip);
    }

    public static void Write(string path, byte[] raw, bool gzip) =>
        File.WriteAllBytes(path, gzip ? IdxWriter.Gzip(raw) : raw);
}
