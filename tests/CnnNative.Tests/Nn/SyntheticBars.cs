using CnnNative.Core;

namespace CnnNative.Tests.Nn;

/// <summary>
/// A small data set a tiny conv net can learn in a few dozen steps: 1×8×8 images of a
/// horizontal bar (class 0), a vertical bar (class 1) or a diagonal (class 2) at a random
/// place, on uniform noise. Deterministic for a given seed.
/// </summary>
internal static class SyntheticBars
{
    public const int Size = 8;
    public const int Classes = 3;

    public static (float[] Images, float[] Labels) Make(int count, ulong seed)
    {
        ulong key = CounterRng.StreamKey(seed, 0);
        var images = new float[count * Size * Size];
        var labels = new float[count];
        ulong r = 0;
        for (int n = 0; n < count; n++)
        {
            int label = n % Classes;
            int at = (int)(CounterRng.Uniform(key, r++) * Size);
            var img = images.AsSpan(n * Size * Size, Size * Size);
            for (int i = 0; i < img.Length; i++) img[i] = 0.3f * CounterRng.Uniform(key, r++);
            for (int i = 0; i < Size; i++)
            {
                int pixel = label switch
                {
                    0 => at * Size + i,
                    1 => i * Size + at,
                    _ => at % 2 == 0 ? i * Size + i : i * Size + (Size - 1 - i),
                };
                img[pixel] = 1f;
            }
            labels[n] = label;
        }
        return (images, labels);
    }

    /// <summary>The data set uploaded to <paramref name="provider"/> in batches of <paramref name="batch"/> (count must divide).</summary>
    public static (Tensor[] X, Tensor[] T) Batches(IComputeProvider provider, int count, int batch, ulong seed)
    {
        var (images, labels) = Make(count, seed);
        int batches = count / batch;
        var x = new Tensor[batches];
        var t = new Tensor[batches];
        for (int b = 0; b < batches; b++)
        {
            x[b] = provider.Allocate(new TensorShape(batch, 1, Size, Size));
            provider.Upload(images.AsSpan(b * batch * Size * Size, batch * Size * Size), x[b]);
            t[b] = provider.Allocate(new TensorShape(batch));
            provider.Upload(labels.AsSpan(b * batch, batch), t[b]);
        }
        return (x, t);
    }
}
