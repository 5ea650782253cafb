using System.Text;

namespace CnnNative.Data.Imaging;

/// <summary>
/// Netpbm gray maps: reads binary (P5) and plain ASCII (P2) PGM with any maximum value up to
/// 65535 (scaled to 8 bits), writes binary P5 with maximum 255.
/// </summary>
internal static class PgmCodec
{
    /// <summary>True when <paramref name="data"/> starts with the P2 or P5 magic number.</summary>
    public static bool IsPgm(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == (byte)'P' && (data[1] == (byte)'2' || data[1] == (byte)'5');

    public static GrayImage Decode(ReadOnlySpan<byte> data)
    {
        if (!IsPgm(data))
        {
            if (data.Length >= 2 && data[0] == (byte)'P' && data[1] is (byte)'1' or (byte)'3' or (byte)'4' or (byte)'6')
                throw new ImageFormatException(
                    $"The file is a Netpbm P{(char)data[1]} image; only gray PGM (P2 or P5) is read, so convert it to PGM or PNG.");
            throw new ImageFormatException(data.Length == 0
                ? "The file is empty, not a PGM image."
                : "The data is not a PGM image (it must start with P2 or P5).");
        }
        bool binary = data[1] == (byte)'5';
        int position = 2;
        int width = ReadHeaderNumber(data, ref position, "width");
        int height = ReadHeaderNumber(data, ref position, "height");
        int maxValue = ReadHeaderNumber(data, ref position, "maximum value");
        if (width == 0 || height == 0)
            throw new ImageFormatException($"The PGM image has a zero size ({width}×{height}); an image needs at least one pixel.");
        if ((long)width * height > ImageLimits.MaxPixels)
            throw new ImageFormatException($"The PGM image is {width}×{height}, larger than the {ImageLimits.MaxPixels}-pixel limit.");
        if (maxValue is < 1 or > 65535)
            throw new ImageFormatException($"The PGM file is corrupt: its maximum value {maxValue} is not between 1 and 65535.");

        // A binary header's size claim is checked against the bytes present before allocating.
        long binaryBytes = (long)width * height * (maxValue > 255 ? 2 : 1);
        if (binary && data.Length - position - 1 < binaryBytes)
            throw new ImageFormatException(
                $"The PGM file is truncated: it holds {Math.Max(0, data.Length - position - 1)} bytes of pixels but {binaryBytes} are needed.");
        var pixels = new byte[width * height];
        if (binary) ReadBinary(data, position, maxValue, pixels);
        else ReadPlain(data, position, maxValue, pixels);
        return new GrayImage(width, height, pixels);
    }

    /// <summary>Binary P5, maximum value 255.</summary>
    public static byte[] Encode(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte[] header = Encoding.ASCII.GetBytes($"P5\n{image.Width} {image.Height}\n255\n");
        var result = new byte[header.Length + image.Pixels.Length];
        header.CopyTo(result, 0);
        image.Pixels.CopyTo(result, header.Length);
        return result;
    }

    private static void ReadBinary(ReadOnlySpan<byte> data, int position, int maxValue, byte[] pixels)
    {
        // ReadHeaderNumber stopped on the single whitespace byte that ends the header.
        position++;
        int bytesPerSample = maxValue > 255 ? 2 : 1;
        long needed = (long)pixels.Length * bytesPerSample;
        if (data.Length - position < needed)
            throw new ImageFormatException(
                $"The PGM file is truncated: it holds {Math.Max(0, data.Length - position)} bytes of pixels but {needed} are needed.");
        for (int i = 0; i < pixels.Length; i++)
        {
            int sample = bytesPerSample == 1 ? data[position + i] : (data[position + 2 * i] << 8) | data[position + 2 * i + 1];
            pixels[i] = Scale(sample, maxValue, i);
        }
    }

    private static void ReadPlain(ReadOnlySpan<byte> data, int position, int maxValue, byte[] pixels)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            SkipSpaceAndComments(data, ref position);
            if (position >= data.Length)
                throw new ImageFormatException($"The PGM file is truncated: it holds {i} of its {pixels.Length} pixel values.");
            int sample = ReadDigits(data, ref position, "pixel value");
            pixels[i] = Scale(sample, maxValue, i);
        }
    }

    private static byte Scale(int sample, int maxValue, int index)
    {
        if (sample > maxValue)
            throw new ImageFormatException($"The PGM file is corrupt: pixel {index} has value {sample}, above the maximum value {maxValue}.");
        return maxValue == 255 ? (byte)sample : (byte)((sample * 255 + maxValue / 2) / maxValue);
    }

    private static int ReadHeaderNumber(ReadOnlySpan<byte> data, ref int position, string field)
    {
        SkipSpaceAndComments(data, ref position);
        if (position >= data.Length)
            throw new ImageFormatException($"The PGM file is truncated: its header ends before the {field}.");
        return ReadDigits(data, ref position, field);
    }

    private static int ReadDigits(ReadOnlySpan<byte> data, ref int position, string field)
    {
        long value = 0;
        int start = position;
        while (position < data.Length && data[position] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (data[position] - '0');
            if (value > int.MaxValue)
                throw new ImageFormatException($"The PGM file is corrupt: its {field} is too large.");
            position++;
        }
        if (position == start || (position < data.Length && !IsSpace(data[position]) && data[position] != (byte)'#'))
            throw new ImageFormatException($"The PGM file is corrupt: its {field} is not a whole number.");
        return (int)value;
    }

    private static void SkipSpaceAndComments(ReadOnlySpan<byte> data, ref int position)
    {
        while (position < data.Length)
        {
            if (IsSpace(data[position])) position++;
            else if (data[position] == (byte)'#')
                while (position < data.Length && data[position] != (byte)'\n' && data[position] != (byte)'\r') position++;
            else break;
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
