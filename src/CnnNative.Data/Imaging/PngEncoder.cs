using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnNative.Data.Imaging;

/// <summary>How <see cref="PngCodec.Encode(RasterImage, PngEncoderOptions?)"/> writes a file.</summary>
public sealed record PngEncoderOptions
{
    /// <summary>
    /// One filter for every row, or null (the default) to choose per row the filter whose
    /// output has the smallest sum of absolute signed bytes (libpng's heuristic).
    /// </summary>
    public PngFilterType? Filter { get; init; }

    public CompressionLevel Compression { get; init; } = CompressionLevel.Optimal;
}

/// <summary>Writes 8-bit gray, gray+alpha, RGB or RGBA images as non-interlaced PNG.</summary>
internal static class PngEncoder
{
    private const int MaxIdatChunk = 1 << 20; // split IDAT like common encoders do; any size is legal

    public static void Encode(RasterImage image, Stream destination, PngEncoderOptions options)
    {
        var header = new PngHeader(image.Width, image.Height, 8, image.Layout switch
        {
            PixelLayout.Gray => PngColorType.Gray,
            PixelLayout.GrayAlpha => PngColorType.GrayAlpha,
            PixelLayout.Rgb => PngColorType.Rgb,
            _ => PngColorType.Rgba,
        });

        destination.Write(PngHeader.Signature);
        Span<byte> ihdr = stackalloc byte[13];
        header.Write(ihdr);
        WriteChunk(destination, "IHDR"u8, ihdr);

        byte[] compressed = Compress(image, options);
        for (int offset = 0; offset < compressed.Length; offset += MaxIdatChunk)
            WriteChunk(destination, "IDAT"u8, compressed.AsSpan(offset, Math.Min(MaxIdatChunk, compressed.Length - offset)));
        WriteChunk(destination, "IEND"u8, ReadOnlySpan<byte>.Empty);
    }

    private static byte[] Compress(RasterImage image, PngEncoderOptions options)
    {
        int stride = image.Stride;
        int bpp = image.Channels;
        var candidate = new byte[stride];
        var best = new byte[stride];
        var zeroRow = new byte[stride];
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, options.Compression, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                ReadOnlySpan<byte> row = image.Pixels.AsSpan(y * stride, stride);
                ReadOnlySpan<byte> prior = y == 0 ? zeroRow : image.Pixels.AsSpan((y - 1) * stride, stride);
                PngFilterType chosen;
                if (options.Filter is { } fixedFilter)
                {
                    chosen = fixedFilter;
                    PngRowFilter.Apply(chosen, row, prior, bpp, best);
                }
                else
                {
                    chosen = PngFilterType.None;
                    long bestCost = long.MaxValue;
                    for (var type = PngFilterType.None; type <= PngFilterType.Paeth; type++)
                    {
                        PngRowFilter.Apply(type, row, prior, bpp, candidate);
                        long cost = PngRowFilter.Cost(candidate);
                        if (cost < bestCost)
                        {
                            bestCost = cost;
                            chosen = type;
                            candidate.AsSpan().CopyTo(best);
                        }
                    }
                }
                zlib.WriteByte((byte)chosen);
                zlib.Write(best);
            }
        }
        return output.ToArray();
    }

    private static void WriteChunk(Stream destination, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        destination.Write(word);
        destination.Write(type);
        destination.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(type, data));
        destination.Write(word);
    }
}
