// Dropout masks from the library's counter-based generator (CnnNative.Core.CounterRng),
// reimplemented step for step in 64-bit integers so every provider draws the same mask:
//   Mix     = SplitMix64's finaliser
//   Bits    = Mix(key + Mix(index))
//   Uniform = (Bits >> 40) · 2^−24       (24 bits, exact in float)
// key = StreamKey(seed, stream) is computed on the host.

inline ulong rng_mix(ulong z)
{
    z += 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

inline float rng_uniform(const ulong key, const ulong index)
{
    return (float)(rng_mix(key + rng_mix(index)) >> 40) * (1.0f / 16777216.0f);
}

// mask = Uniform(key, i) > ratio ? 1 : 0; y = x·mask (the seed's non-inverted dropout). y may be x.
__kernel void dropout_forward(__global const float* x, const float ratio, const ulong key,
                              __global float* y, __global float* mask, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float m = rng_uniform(key, (ulong)i) > ratio ? 1.0f : 0.0f;
    mask[i] = m;
    y[i] = x[i] * m;
}
