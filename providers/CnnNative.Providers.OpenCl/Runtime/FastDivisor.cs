using System.Numerics;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// The (multiplier, shift) pair that lets a kernel divide a non-negative int by a fixed
/// divisor with one high multiply and a shift (fdiv in common.cl): for d ≥ 2 with
/// l = ⌈log₂ d⌉, m = ⌈2^(31+l) / d⌉ (which fits 32 bits) and s = l − 1, so that
/// n / d = (n·m) >> (32 + s) for every 0 ≤ n &lt; 2³¹. d = 1 is encoded as m = 0.
/// </summary>
internal static class FastDivisor
{
    public static (uint Multiplier, uint Shift) For(int divisor)
    {
        if (divisor <= 0) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "A kernel divisor must be positive.");
        if (divisor == 1) return (0u, 0u);
        int l = 32 - BitOperations.LeadingZeroCount((uint)(divisor - 1));   // ⌈log₂ d⌉
        ulong p = 31 + (ulong)l;
        ulong m = ((1UL << (int)p) + (ulong)divisor - 1) / (ulong)divisor;
        return ((uint)m, (uint)(p - 32));
    }

    /// <summary>What the kernel computes, for tests.</summary>
    public static int Divide(int n, int divisor)
    {
        var (m, s) = For(divisor);
        return m == 0 ? n : (int)(((ulong)(uint)n * m >> 32) >> (int)s);
    }
}
