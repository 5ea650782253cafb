using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnNative.Core;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Dropout's mask from <see cref="CounterRng"/>, eight 64-bit counters per Vector512 (vpmullq
/// under AVX-512DQ). <c>Uniform(key, i) &gt; ratio</c> is evaluated exactly in integers:
/// Uniform is u·2⁻²⁴ for the top 24 bits u, so it exceeds ratio exactly when
/// u &gt; ⌊ratio·2²⁴⌋ (both sides are exact, ratio·2²⁴ being a power-of-two scaling).
/// </summary>
internal static unsafe class DropoutKernel
{
    public static ulong Threshold(float ratio) => (ulong)Math.Floor(ratio * 16777216.0);

    /// <summary>mask[i] = u(i) &gt; threshold ? 1 : 0, y[i] = x[i]·mask[i] for i in [start, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* x, float* y, float* mask, int start, int end, ulong key, ulong threshold)
    {
        int i = start;
        if (Vector512.IsHardwareAccelerated)
        {
            var lane = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
            var thr = Vector512.Create((uint)threshold);
            var k = Vector512.Create(key);
            for (; i <= end - 16; i += 16)
            {
                var lo = Top24(k, Vector512.Create((ulong)i) + lane);
                var hi = Top24(k, Vector512.Create((ulong)(i + 8)) + lane);
                var keep = Vector512.GreaterThan(Vector512.Narrow(lo, hi), thr).AsSingle();
                var m = Vector512.ConditionalSelect(keep, Vector512<float>.One, Vector512<float>.Zero);
                m.Store(mask + i);
                (Vector512.Load(x + i) * m).Store(y + i);
            }
        }
        for (; i < end; i++)
        {
            float m = (CounterRng.Bits(key, (ulong)i) >> 40) > threshold ? 1f : 0f;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    /// <summary>CounterRng.Bits(key, index) &gt;&gt; 40 for eight indices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Top24(Vector512<ulong> key, Vector512<ulong> index) =>
        Vector512.ShiftRightLogical(Mix(key + Mix(index)), 40);

    /// <summary><see cref="CounterRng.Mix"/> on eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z += Vector512.Create(0x9E3779B97F4A7C15UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }
}
