using System.Buffers.Binary;
using CnnNative.Data;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _dir = new("idx");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_round_trip_normalised_to_unit_range(bool gzip)
    {
        string path = _dir.File("images" + (gzip ? ".gz" : ""));
        byte[] pixels = IdxFiles.Pixels(7, 5, 3);
        IdxWriter.WriteImages(path, 7, 5, 3, pixels, gzip);

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal((7, 5, 3), (images.Count, images.Rows, images.Columns));
        Assert.Equal(pixels.Length, images.Pixels.Length);
        for (int i = 0; i < pixels.Length; i++)
            Assert.Equal(pixels[i] / 255f, images.Pixels[i]);
        Assert.Contains(0f, images.Pixels);
        Assert.Contains(1f, images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Labels_round_trip(bool gzip)
    {
        string path = _dir.File("labels" + (gzip ? ".gz" : ""));
        byte[] labels = IdxFiles.Labels(23);
        IdxWriter.WriteLabels(path, labels, gzip);

        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void Gzip_is_recognised_by_its_magic_bytes_not_the_file_name()
    {
        string gzipNamedPlain = _dir.File("images-idx3-ubyte");
        string plainNamedGz = _dir.File("images-idx3-ubyte.gz");
        IdxFiles.Write(gzipNamedPlain, IdxFiles.ImagesFile(3, 2, 2), gzip: true);
        IdxFiles.Write(plainNamedGz, IdxFiles.ImagesFile(3, 2, 2), gzip: false);

        Assert.Equal(IdxReader.ReadImages(gzipNamedPlain).Pixels, IdxReader.ReadImages(plainNamedGz).Pixels);
    }

    [Fact]
    public void A_file_that_is_not_idx_is_named_and_explained()
    {
        string path = _dir.File("notes.txt");
        File.WriteAllText(path, "hello, this is not an IDX file at all");

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("does not start with an IDX magic number", e.Message);
        Assert.Contains("68 65 6c 6c", e.Message); // "hell"
    }

    [Fact]
    public void Swapped_images_and_labels_files_are_called_out()
    {
        string path = _dir.File("labels");
        File.WriteAllBytes(path, IdxFiles.LabelsFile(5));

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains("this is a labels file (magic 2049) but an images file (magic 2051) was expected", e.Message);
        Assert.Contains("swapped", e.Message);
    }

    [Fact]
    public void A_non_byte_data_type_is_rejected()
    {
        byte[] raw = IdxFiles.ImagesFile(2, 2, 2);
        raw[2] = 0x0D; // float
        string path = _dir.File("floats");
        File.WriteAllBytes(path, raw);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains("data type 0x0d", e.Message);
    }

    [Fact]
    public void An_empty_file_is_reported_as_empty()
    {
        string path = _dir.File("empty");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("the file is empty", e.Message);
    }

    [Fact]
    public void A_truncated_header_is_reported()
    {
        string path = _dir.File("short-header");
        File.WriteAllBytes(path, IdxFiles.ImagesFile(2, 2, 2).AsSpan(0, 10).ToArray());

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains("the header is truncated: 10 of its 16 bytes", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_pixels_are_reported_with_the_expected_and_found_sizes(bool gzip)
    {
        byte[] raw = IdxFiles.ImagesFile(10, 4, 4);
        string path = _dir.File("truncated" + (gzip ? ".gz" : ""));
        IdxFiles.Write(path, raw.AsSpan(0, raw.Length - 5).ToArray(), gzip);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("truncated: the header declares 10 images of 4×4 (160 data bytes) but only 155 data bytes follow", e.Message);
        Assert.Equal(gzip, e.Message.Contains("after decompression"));
        Assert.Contains("Download the file again", e.Message);
    }

    [Fact]
    public void Truncated_labels_are_reported()
    {
        byte[] raw = IdxFiles.LabelsFile(10);
        string path = _dir.File("labels-short");
        File.WriteAllBytes(path, raw.AsSpan(0, raw.Length - 3).ToArray());

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("declares 10 labels (10 data bytes) but only 7 data bytes follow", e.Message);
    }

    [Fact]
    public void A_gzip_file_cut_short_is_reported_as_truncated()
    {
        byte[] gz = IdxWriter.Gzip(IdxFiles.ImagesFile(50, 8, 8));
        string path = _dir.File("cut.gz");
        File.WriteAllBytes(path, gz.AsSpan(0, gz.Length / 2).ToArray());

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        // Its last four bytes are compressed data, not the size trailer: refused before decompressing.
        Assert.Contains(path, e.Message);
        Assert.Contains("the gzip file is cut short or damaged", e.Message);
    }

    [Fact]
    public void A_gzip_file_without_its_trailer_is_refused()
    {
        byte[] gz = IdxWriter.Gzip(IdxFiles.ImagesFile(3, 2, 2));
        string path = _dir.File("no-trailer.gz");
        File.WriteAllBytes(path, gz.AsSpan(0, gz.Length - 8).ToArray());

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.DoesNotContain("compression method", e.Message);
    }

    [Fact]
    public void A_small_gzip_claiming_millions_of_images_is_refused_before_allocating()
    {
        byte[] raw = IdxFiles.ImagesFile(2, 28, 28);
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), 2_700_000);
        string path = _dir.File("claims.gz");
        File.WriteAllBytes(path, IdxWriter.Gzip(raw));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("truncated: the header declares 2700000 images of 28×28", e.Message);
        Assert.True(allocated < 4 << 20, $"{allocated} bytes allocated before refusing");
    }

    [Fact]
    public void A_bad_gzip_checksum_is_called_a_damaged_checksum()
    {
        byte[] gz = IdxWriter.Gzip(IdxFiles.ImagesFile(3, 2, 2));
        gz[^8] ^= 0xFF; // first byte of the CRC-32
        string path = _dir.File("bad-crc.gz");
        File.WriteAllBytes(path, gz);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains("checksum", e.Message);
        Assert.DoesNotContain("compression method", e.Message);
    }

    [Fact]
    public void A_named_pipe_is_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux()) return; // mkfifo; the check is statx-based on Linux only
        string path = _dir.File("pipe");
        SpecialFiles.MakeFifo(path);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains("named pipe (FIFO), not a regular file", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_is_reported()
    {
        byte[] gz = IdxWriter.Gzip(IdxFiles.ImagesFile(50, 8, 8));
        for (int i = 20; i < gz.Length - 8; i += 3) gz[i] ^= 0x5A;
        string path = _dir.File("corrupt.gz");
        File.WriteAllBytes(path, gz);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("the gzip data is corrupt", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Extra_bytes_after_the_declared_data_are_reported(bool gzip)
    {
        byte[] raw = [.. IdxFiles.ImagesFile(3, 2, 2), 1, 2, 3, 4];
        string path = _dir.File("long" + (gzip ? ".gz" : ""));
        IdxFiles.Write(path, raw, gzip);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains(gzip
            ? "the gzip trailer gives 32 decompressed bytes but the header declares 3 images of 2×2 (28 bytes): the download is cut short (its trailer missing) or the header is wrong"
            : "4 extra bytes after the 3 images of 2×2 its header declares (expected 28 bytes", e.Message);
    }

    [Fact]
    public void A_gzip_cut_before_its_trailer_is_not_reported_as_extra_bytes()
    {
        string path = _dir.File("cut.gz");
        IdxFiles.Write(path, IdxFiles.ImagesFile(30, 8, 8), gzip: true);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole.AsSpan(0, whole.Length - 8).ToArray());

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.DoesNotContain("extra bytes", e.Message);
        Assert.Contains("Download the file again", e.Message);
    }

    [Theory]
    [InlineData(0, "image count of 0")]
    [InlineData(1, "row count of 0")]
    [InlineData(2, "column count of 0")]
    public void A_zero_dimension_is_reported(int axis, string expected)
    {
        byte[] raw = IdxFiles.ImagesFile(2, 2, 2);
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4 + 4 * axis), 0);
        string path = _dir.File("zero");
        File.WriteAllBytes(path, raw);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_absurd_image_side_is_reported_as_a_corrupt_header()
    {
        byte[] raw = IdxFiles.ImagesFile(2, 2, 2);
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(8), 100_000);
        string path = _dir.File("huge");
        File.WriteAllBytes(path, raw);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadImages(path));

        Assert.Contains("100000×2 images; sides above 4096", e.Message);
    }

    [Fact]
    public void A_dimension_with_the_sign_bit_set_is_reported()
    {
        byte[] raw = IdxFiles.LabelsFile(3);
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(4), 0xFFFF_FFF0);
        string path = _dir.File("negative");
        File.WriteAllBytes(path, raw);

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("label count of 4294967280", e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        string path = _dir.File("nope");

        var e = Assert.Throws<InvalidDataFileException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("does not exist", e.Message);
    }
}
