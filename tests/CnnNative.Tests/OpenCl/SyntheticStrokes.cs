using CnnNative.Core;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// 1×28×28 images (MNIST-sized, so simple-conv has its book shapes: 4320 → 100 → classes)
/// of one of four two-pixel-wide strokes — horizontal, vertical, diagonal, anti-diagonal —
/// at a random offset on uniform noise. Deterministic from the seed (CounterRng), so every
/// provider trains on identical bytes.
/// </summary>
internal static class SyntheticStrokes
{
    public const int Size = 28;
    public const int Classes = 4;

    public static (float[] Images, float[] Labels) Make(int count, ulong seed)
    {
        ulong key = CounterRng.StreamKey(seed, 1);
        var images = new float[count * Size * Size];
        var labels = new float[count];
        ulong r = 0;
        for (int n = 0; n < count; n++)
        {
            int label = (int)(CounterRng.Uniform(key, r++) * Classes);
            int at = 2 + (int)(CounterRng.Uniform(key, r++) * (Size - 5));
            var img = images.AsSpan(n * Size * Size, Size * Size);
            for (int i = 0; i < img.Length; i++) img[i] = 0.2f * CounterRng.Uniform(key, r++);
            for (int i = 0; i < Size; i++)
                for (int w = 0; w < 2; w++)
                {
                    var (row, col) = label switch
                    {
                        0 => (at + w, i),
                        1 => (i, at + w),
                        2 => (i, Math.Min(Size - 1, i + w)),
                        _ => (i, Math.Max(0, Size - 1 - i - w)),
                    };
                    img[row * Size + col] = 1f;
                }
            labels[n] = label;
        }
        return (images, labels);
    }
}
