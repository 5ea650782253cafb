namespace CnnNative.Data.Imaging;

/// <summary>
/// Turns unfiltered PNG scanlines into 8-bit interleaved pixels: unpacks 1/2/4-bit gray and
/// palette indices, looks palette entries up, and applies a tRNS chunk (which adds an alpha
/// channel). 8-bit gray, gray+alpha, RGB and RGBA without tRNS are copied as they are.
/// </summary>
internal sealed class PngSampleExpander
{
    private readonly PngHeader _header;
    private readonly byte[]? _palette;       // RGB triples
    private readonly byte[]? _paletteAlpha;  // tRNS for palette images, may be shorter than the palette
    private readonly int _transparentGray = -1;
    private readonly int _transparentR = -1, _transparentG = -1, _transparentB = -1;

    public PngSampleExpander(PngHeader header, byte[]? palette, byte[]? transparency)
    {
        _header = header;
        _palette = palette;
        if (transparency is null) return;
        switch (header.ColorType)
        {
            case PngColorType.Palette:
                if (palette is not null && transparency.Length > palette.Length / 3)
                    throw new ImageFormatException(
                        $"The PNG file is corrupt: its tRNS chunk has {transparency.Length} entries for a {palette.Length / 3}-colour palette.");
                _paletteAlpha = transparency;
                break;
            case PngColorType.Gray:
                if (transparency.Length != 2)
                    throw new ImageFormatException($"The PNG file is corrupt: a gray image's tRNS chunk must hold 2 bytes, not {transparency.Length}.");
                _transparentGray = (transparency[0] << 8) | transparency[1];
                break;
            case PngColorType.Rgb:
                if (transparency.Length != 6)
                    throw new ImageFormatException($"The PNG file is corrupt: an RGB image's tRNS chunk must hold 6 bytes, not {transparency.Length}.");
                _transparentR = (transparency[0] << 8) | transparency[1];
                _transparentG = (transparency[2] << 8) | transparency[3];
                _transparentB = (transparency[4] << 8) | transparency[5];
                break;
            default:
                throw new ImageFormatException("The PNG file is corrupt: it has a tRNS chunk although its pixels already carry alpha.");
        }
    }

    public PixelLayout Layout => _header.ColorType switch
    {
        PngColorType.Gray => _transparentGray >= 0 ? PixelLayout.GrayAlpha : PixelLayout.Gray,
        PngColorType.GrayAlpha => PixelLayout.GrayAlpha,
        PngColorType.Rgb => _transparentR >= 0 ? PixelLayout.Rgba : PixelLayout.Rgb,
        PngColorType.Palette => _paletteAlpha is not null ? PixelLayout.Rgba : PixelLayout.Rgb,
        _ => PixelLayout.Rgba,
    };

    /// <summary>Expands one unfiltered scanline into <paramref name="output"/> (width × channels bytes).</summary>
    public void ExpandRow(ReadOnlySpan<byte> row, Span<byte> output, int rowIndex)
    {
        int width = _header.Width;
        switch (_header.ColorType)
        {
            case PngColorType.Gray:
                ExpandGray(row, output, width);
                break;
            case PngColorType.Palette:
                ExpandPalette(row, output, width, rowIndex);
                break;
            case PngColorType.Rgb when _transparentR >= 0:
                for (int x = 0; x < width; x++)
                {
                    byte r = row[3 * x], g = row[3 * x + 1], b = row[3 * x + 2];
                    output[4 * x] = r; output[4 * x + 1] = g; output[4 * x + 2] = b;
                    output[4 * x + 3] = r == _transparentR && g == _transparentG && b == _transparentB ? (byte)0 : (byte)255;
                }
                break;
            default:
                row.CopyTo(output);
                break;
        }
    }

    private void ExpandGray(ReadOnlySpan<byte> row, Span<byte> output, int width)
    {
        int depth = _header.BitDepth;
        int scale = 255 / ((1 << depth) - 1); // 255, 85, 17, 1: exact for 1, 2, 4 and 8 bits
        bool alpha = _transparentGray >= 0;
        for (int x = 0; x < width; x++)
        {
            int sample = Sample(row, x, depth);
            byte gray = (byte)(sample * scale);
            if (alpha)
            {
                output[2 * x] = gray;
                output[2 * x + 1] = sample == _transparentGray ? (byte)0 : (byte)255;
            }
            else
            {
                output[x] = gray;
            }
        }
    }

    private void ExpandPalette(ReadOnlySpan<byte> row, Span<byte> output, int width, int rowIndex)
    {
        byte[] palette = _palette!;
        int entries = palette.Length / 3;
        int depth = _header.BitDepth;
        byte[]? alpha = _paletteAlpha;
        int channels = alpha is null ? 3 : 4;
        for (int x = 0; x < width; x++)
        {
            int index = Sample(row, x, depth);
            if (index >= entries)
                throw new ImageFormatException(
                    $"The PNG file is corrupt: pixel ({x}, {rowIndex}) uses palette index {index} but the palette has {entries} colours.");
            int o = x * channels;
            output[o] = palette[3 * index];
            output[o + 1] = palette[3 * index + 1];
            output[o + 2] = palette[3 * index + 2];
            if (alpha is not null) output[o + 3] = index < alpha.Length ? alpha[index] : (byte)255;
        }
    }

    /// <summary>Sample <paramref name="x"/> of a row packed at <paramref name="depth"/> bits, most significant bits first.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int x, int depth)
    {
        if (depth == 8) return row[x];
        int bit = x * depth;
        int shift = 8 - depth - (bit & 7);
        return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
    }
}
