namespace CnnNative.Data.Imaging;

/// <summary>The five PNG row filter types (PNG spec §9.2); the value is the row's filter byte.</summary>
public enum PngFilterType : byte
{
    None = 0,
    Sub = 1,
    Up = 2,
    Average = 3,
    Paeth = 4,
}

/// <summary>
/// PNG row filtering in both directions. Filters work on bytes, with "left" meaning the byte
/// <c>bpp</c> positions earlier (the same sample of the previous pixel, or the previous byte
/// for sub-byte depths) and "up" the same byte of the prior row (zeros for the first row).
/// </summary>
internal static class PngRowFilter
{
    /// <summary>Undoes <paramref name="type"/> on <paramref name="row"/> in place.</summary>
    public static void Reverse(PngFilterType type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (type)
        {
            case PngFilterType.None:
                break;
            case PngFilterType.Sub:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case PngFilterType.Up:
                for (int i = 0; i < row.Length; i++) row[i] += prior[i];
                break;
            case PngFilterType.Average:
                for (int i = 0; i < bpp; i++) row[i] += (byte)(prior[i] >> 1);
                for (int i = bpp; i < row.Length; i++) row[i] += (byte)((row[i - bpp] + prior[i]) >> 1);
                break;
            case PngFilterType.Paeth:
                for (int i = 0; i < bpp; i++) row[i] += prior[i]; // left and upper-left are 0: Paeth picks up
                for (int i = bpp; i < row.Length; i++) row[i] += Paeth(row[i - bpp], prior[i], prior[i - bpp]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PNG filter type.");
        }
    }

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="type"/> into <paramref name="output"/>.</summary>
    public static void Apply(PngFilterType type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        switch (type)
        {
            case PngFilterType.None:
                row.CopyTo(output);
                break;
            case PngFilterType.Sub:
                for (int i = 0; i < row.Length; i++) output[i] = (byte)(row[i] - Left(row, i, bpp));
                break;
            case PngFilterType.Up:
                for (int i = 0; i < row.Length; i++) output[i] = (byte)(row[i] - prior[i]);
                break;
            case PngFilterType.Average:
                for (int i = 0; i < row.Length; i++) output[i] = (byte)(row[i] - ((Left(row, i, bpp) + prior[i]) >> 1));
                break;
            case PngFilterType.Paeth:
                for (int i = 0; i < row.Length; i++)
                    output[i] = (byte)(row[i] - Paeth(Left(row, i, bpp), prior[i], Left(prior, i, bpp)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown PNG filter type.");
        }
    }

    /// <summary>
    /// The filtered row's cost as libpng's heuristic measures it: the sum of the bytes read as
    /// signed values. Rows near zero compress best.
    /// </summary>
    public static long Cost(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        foreach (byte b in filtered) sum += Math.Abs((int)(sbyte)b); // widen first: |−128| does not fit an sbyte
        return sum;
    }

    /// <summary>The Paeth predictor (PNG spec §9.4): whichever of a, b, c is closest to a + b − c, ties in that order.</summary>
    public static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static byte Left(ReadOnlySpan<byte> row, int i, int bpp) => i >= bpp ? row[i - bpp] : (byte)0;
}
