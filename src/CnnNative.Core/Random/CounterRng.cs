namespace CnnNative.Core;

/// <summary>
/// The one random source of the library: a counter-based generator, so a value depends only
/// on (seed, stream, index) and not on call order or thread. Every provider (including the
/// OpenCL kernels, which reimplement exactly these integer steps) draws the same numbers, so
/// dropout masks, weight initialisation and shuffles are identical on every provider and a
/// run repeats bit for bit.
/// </summary>
public static class CounterRng
{
    /// <summary>SplitMix64's finaliser: a bijective 64-bit mix with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The key of one stream (for example one dropout layer at one training step).</summary>
    public static ulong StreamKey(ulong seed, ulong stream) => Mix(seed ^ Mix(stream));

    /// <summary>64 random bits for element <paramref name="index"/> of a stream.</summary>
    public static ulong Bits(ulong key, ulong index) => Mix(key + Mix(index));

    /// <summary>A float uniform in [0, 1) with 24 random bits (exact in single precision).</summary>
    public static float Uniform(ulong key, ulong index) => (Bits(key, index) >> 40) * (1.0f / 16777216.0f);

    /// <summary>A standard normal via Box–Muller from two uniforms of the same element.</summary>
    public static double Normal(ulong key, ulong index)
    {
        ulong bits = Bits(key, index);
        double u1 = ((bits >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]
        double u2 = (Mix(bits) >> 11) * (1.0 / 9007199254740992.0);  // [0, 1)
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
