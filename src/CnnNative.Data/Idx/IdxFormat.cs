namespace CnnNative.Data;

/// <summary>
/// Constants of the IDX format (the MNIST file format): a big-endian header of a 4-byte magic
/// number — two zero bytes, a data-type byte, a dimension-count byte — then one 4-byte
/// big-endian size per dimension, then the data, row-major.
/// </summary>
internal static class IdxFormat
{
    /// <summary>Magic number of an images file: unsigned bytes, 3 dimensions (count, rows, cols).</summary>
    public const int ImagesMagic = 0x00000803; // 2051

    /// <summary>Magic number of a labels file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801; // 2049

    /// <summary>Data-type byte for unsigned bytes, the only type MNIST-format files use.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Largest image side accepted; larger values mean a corrupt header, not a real data set.</summary>
    public const int MaxImageSide = 4096;

    /// <summary>
    /// Largest number of pixels (count × rows × cols) accepted, bounded by the largest float
    /// array .NET can allocate; a header promising more is corrupt or not meant for this tool.
    /// </summary>
    public static long MaxPixels => Array.MaxLength;

    /// <summary>Header length in bytes of a file with <paramref name="dimensions"/> dimensions.</summary>
    public static int HeaderLength(int dimensions) => 4 + 4 * dimensions;

    /// <summary>What a magic number describes, for error messages.</summary>
    internal static string Describe(int magic) => magic switch
    {
        ImagesMagic => "an images file (magic 2051)",
        LabelsMagic => "a labels file (magic 2049)",
        _ => $"magic number 0x{magic:X8}",
    };
}
