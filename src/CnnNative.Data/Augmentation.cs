using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using CnnNative.Core;

namespace CnnNative.Data;

/// <summary>
/// Random changes to training images, applied by the <see cref="Batcher"/> as it copies each
/// sample into a batch: a shift by up to <see cref="Shift"/> pixels each way (zero padding, the
/// same as padding by <see cref="Shift"/> and cropping at a random place), a horizontal
/// <see cref="Flip"/> with probability ½, and the erasure (cutout) of a <see cref="Erase"/>-pixel
/// square with probability ½, in that order. Every choice comes from <see cref="CounterRng"/>
/// keyed by (seed, epoch, sample index), so a sample is changed the same way whatever the
/// batch, the process, the provider or an interruption; <c>--resume</c> stays exact.
/// </summary>
/// <remarks>
/// Padding and erasing write 0, which is black for images in [0, 1] and the mean colour for
/// mean-subtracted input. The text form is <c>shift:2,flip,erase:8</c> (see <see cref="Parse"/>).
/// </remarks>
public sealed record Augmentation
{
    /// <summary>
    /// The stream namespace of augmentation in <see cref="CounterRng.StreamKey"/> ("AUGM" in the
    /// high bytes, the epoch in the low ones), apart from shuffling, initialisation and dropout.
    /// </summary>
    public const ulong Stream = 0x4155_474D_0000_0000UL;

    /// <summary>The words of the text form, in the order they are applied.</summary>
    public static IReadOnlyList<string> Names { get; } = ["shift", "flip", "erase"];

    /// <summary>No augmentation: every image is used as it is.</summary>
    public static Augmentation None { get; } = new();

    /// <summary>The largest shift in pixels, each way, horizontally and vertically; 0 for none.</summary>
    public int Shift { get; init; }

    /// <summary>Mirror left–right with probability ½.</summary>
    public bool Flip { get; init; }

    /// <summary>The side in pixels of the square set to 0 with probability ½ (clipped at the border, centre anywhere); 0 for none.</summary>
    public int Erase { get; init; }

    /// <summary>True when images pass unchanged.</summary>
    [JsonIgnore]
    public bool IsNone => Shift == 0 && !Flip && Erase == 0;

    /// <summary>
    /// Reads the text form: comma-separated <c>shift[:N]</c> (N pixels, default 2), <c>flip</c>
    /// and <c>erase[:N]</c> (an N-pixel square, default half the shorter side of a
    /// <paramref name="rows"/>×<paramref name="columns"/> image), or <c>none</c>.
    /// </summary>
    /// <exception cref="FormatException">An unknown word, a bad number or a size that does not fit the image.</exception>
    public static Augmentation Parse(string text, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var result = None;
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return result;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = part.IndexOf(':');
            string name = (colon < 0 ? part : part[..colon]).Trim().ToLowerInvariant();
            string? value = colon < 0 ? null : part[(colon + 1)..].Trim();
            result = name switch
            {
                "shift" => result with { Shift = Pixels(part, value, 2) },
                "flip" when value is null => result with { Flip = true },
                "erase" => result with { Erase = Pixels(part, value, Math.Max(1, Math.Min(rows, columns) / 2)) },
                _ => throw new FormatException(
                    $"'{part}' is not an augmentation; use a comma-separated list of shift[:N], flip and erase[:N] (for example shift:2,flip), or none."),
            };
        }
        if (result.IsNone)
            throw new FormatException($"'{text}' names no augmentation; use shift[:N], flip, erase[:N] or none.");
        result.Validate(rows, columns);
        return result;
    }

    /// <summary>Checks that the sizes fit a <paramref name="rows"/>×<paramref name="columns"/> image.</summary>
    /// <exception cref="FormatException">A negative size, a shift as wide as the image or an erased square larger than it.</exception>
    public void Validate(int rows, int columns)
    {
        if (Shift < 0 || Shift >= Math.Min(rows, columns))
            throw new FormatException(
                $"shift:{Shift} does not fit {rows}×{columns} images; shift by 0 to {Math.Min(rows, columns) - 1} pixels.");
        if (Erase < 0 || Erase > Math.Min(rows, columns))
            throw new FormatException(
                $"erase:{Erase} does not fit {rows}×{columns} images; erase a square of 1 to {Math.Min(rows, columns)} pixels.");
    }

    /// <summary>The text form <see cref="Parse"/> reads, with every size written out ("shift:2,flip,erase:14"; "none").</summary>
    public override string ToString()
    {
        if (IsNone) return "none";
        var text = new StringBuilder();
        if (Shift > 0) text.Append(CultureInfo.InvariantCulture, $"shift:{Shift},");
        if (Flip) text.Append("flip,");
        if (Erase > 0) text.Append(CultureInfo.InvariantCulture, $"erase:{Erase},");
        return text.ToString(0, text.Length - 1);
    }

    /// <summary>
    /// Writes sample <paramref name="index"/>'s augmented copy of <paramref name="source"/>
    /// ([channels, rows, columns]) into <paramref name="destination"/> for <paramref name="epoch"/>
    /// of a run seeded with <paramref name="seed"/>. The spans must not overlap.
    /// </summary>
    public void Apply(ulong seed, int epoch, int index, ReadOnlySpan<float> source, Span<float> destination,
        int channels, int rows, int columns)
    {
        int plane = rows * columns;
        if (source.Length != channels * plane || destination.Length < source.Length)
            throw new ArgumentException(
                $"An augmented sample needs {channels}×{rows}×{columns} values in and out, got {source.Length} and {destination.Length}.");
        ulong key = CounterRng.StreamKey(seed, Stream + (ulong)epoch);
        // Each sample draws from its own eight counters: 0 dy, 1 dx, 2 flip, 3 erase?, 4 erase row, 5 erase column.
        ulong first = (ulong)index * 8;
        int dy = Shift == 0 ? 0 : Below(key, first, 2 * Shift + 1) - Shift;
        int dx = Shift == 0 ? 0 : Below(key, first + 1, 2 * Shift + 1) - Shift;
        bool flip = Flip && (CounterRng.Bits(key, first + 2) >> 63) != 0;
        for (int c = 0; c < channels; c++)
            ShiftPlane(source.Slice(c * plane, plane), destination.Slice(c * plane, plane), rows, columns, dy, dx, flip);
        if (Erase > 0 && (CounterRng.Bits(key, first + 3) >> 63) != 0)
        {
            int top = Below(key, first + 4, rows) - Erase / 2;
            int left = Below(key, first + 5, columns) - Erase / 2;
            int r0 = Math.Max(0, top), r1 = Math.Min(rows, top + Erase);
            int c0 = Math.Max(0, left), c1 = Math.Min(columns, left + Erase);
            for (int c = 0; c < channels; c++)
                for (int r = r0; r < r1; r++)
                    destination.Slice(c * plane + r * columns + c0, c1 - c0).Clear();
        }
    }

    /// <summary>
    /// destination(r, c) = source(r − dy, c' − dx) where c' mirrors c when flipping, 0 outside the
    /// source: shifting and flipping in one pass over the plane, row slices copied whole when not flipping.
    /// </summary>
    private static void ShiftPlane(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns,
        int dy, int dx, bool flip)
    {
        // The columns of a destination row that come from the source: c − dx in [0, columns).
        int from = Math.Max(0, dx), to = Math.Min(columns, columns + dx);
        for (int r = 0; r < rows; r++)
        {
            var row = destination.Slice(r * columns, columns);
            int sr = r - dy;
            if (sr < 0 || sr >= rows)
            {
                row.Clear();
                continue;
            }
            var src = source.Slice(sr * columns, columns);
            row[..from].Clear();
            row[to..].Clear();
            src.Slice(from - dx, to - from).CopyTo(row[from..to]);
            if (flip) row.Reverse();
        }
    }

    /// <summary>A uniform integer in [0, n) from counter <paramref name="counter"/> (Lemire's multiply, as the shuffle draws).</summary>
    private static int Below(ulong key, ulong counter, int n) =>
        (int)Math.BigMul(CounterRng.Bits(key, counter), (ulong)n, out _);

    private static int Pixels(string part, string? value, int fallback)
    {
        if (value is null) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int pixels) && pixels > 0) return pixels;
        throw new FormatException($"'{part}': the size after ':' must be a positive whole number of pixels.");
    }
}
