using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnNative.Core;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Pooling with a 2×2 window, stride 2 and no padding (the usual pooling of a CNN), eight
/// outputs per step: the two input rows are split into even and odd columns, which are the
/// four window positions; backward passes interleave them again. Windows do not overlap, so
/// each backward pass writes every covered input once (no clearing, no scatter); an odd last
/// row or column, which no window covers, is zeroed. Rows of 4 to 7 outputs go four at a time. A
/// row whose output count is not a multiple of the width ends with one more vector step that overlaps the previous one: every step is a pure
/// function of its inputs, so the overlap rewrites the same values, and the data-dependent
/// branches of a scalar tail (mispredicted about once per output on real data) never run.
/// </summary>
internal static unsafe class Pool2x2
{
    public static bool Applies(in PoolGeometry g) =>
        Avx2.IsSupported && g.PoolHeight == 2 && g.PoolWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2 &&
        g.PadHeight == 0 && g.PadWidth == 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxForward(PoolWork.Shape s, float* x, float* y, float* argmax)
    {
        int w = s.W, last = s.OW - 8, last4 = s.OW - 4;
        var one = Vector256.Create(1f);
        var two = Vector256.Create(2f);
        var three = Vector256.Create(3f);
        for (int oh = 0; oh < s.OH; oh++, y += s.OW, argmax += s.OW)
        {
            float* x0 = x + (long)2 * oh * w, x1 = x0 + w;
            for (int ow = 0; last >= 0; ow = Math.Min(ow + 8, last))
            {
                var (a, b) = Split(x0 + 2 * ow);
                var (c, d) = Split(x1 + 2 * ow);
                // Ties keep the earlier position: a later one wins only when strictly greater.
                var best = a;
                var index = Vector256<float>.Zero;
                var m = Vector256.GreaterThan(b, best);
                best = Vector256.ConditionalSelect(m, b, best); index = Vector256.ConditionalSelect(m, one, index);
                m = Vector256.GreaterThan(c, best);
                best = Vector256.ConditionalSelect(m, c, best); index = Vector256.ConditionalSelect(m, two, index);
                m = Vector256.GreaterThan(d, best);
                best = Vector256.ConditionalSelect(m, d, best); index = Vector256.ConditionalSelect(m, three, index);
                best.Store(y + ow);
                index.Store(argmax + ow);
                if (ow == last) break;
            }
            // Rows of 4 to 7 outputs (a 14×14 or 8×8 map): 4 at a time, the last step overlapping.
            for (int ow = 0; last < 0 && last4 >= 0; ow = Math.Min(ow + 4, last4))
            {
                var (a, b) = Split(x0 + 2 * ow, 4);
                var (c, d) = Split(x1 + 2 * ow, 4);
                var best = a;
                var index = Vector128<float>.Zero;
                var m = Vector128.GreaterThan(b, best);
                best = Vector128.ConditionalSelect(m, b, best); index = Vector128.ConditionalSelect(m, one.GetLower(), index);
                m = Vector128.GreaterThan(c, best);
                best = Vector128.ConditionalSelect(m, c, best); index = Vector128.ConditionalSelect(m, two.GetLower(), index);
                m = Vector128.GreaterThan(d, best);
                best = Vector128.ConditionalSelect(m, d, best); index = Vector128.ConditionalSelect(m, three.GetLower(), index);
                best.Store(y + ow);
                index.Store(argmax + ow);
                if (ow == last4) break;
            }
            for (int ow = 0; last4 < 0 && ow < s.OW; ow++)
            {
                float best = x0[2 * ow];
                int index = 0;
                if (x0[2 * ow + 1] > best) { best = x0[2 * ow + 1]; index = 1; }
                if (x1[2 * ow] > best) { best = x1[2 * ow]; index = 2; }
                if (x1[2 * ow + 1] > best) { best = x1[2 * ow + 1]; index = 3; }
                y[ow] = best;
                argmax[ow] = index;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxBackward(PoolWork.Shape s, float* dy, float* argmax, float* dx)
    {
        int w = s.W, last = s.OW - 8, last4 = s.OW - 4;
        var one = Vector256.Create(1f);
        var two = Vector256.Create(2f);
        var three = Vector256.Create(3f);
        for (int oh = 0; oh < s.OH; oh++, dy += s.OW, argmax += s.OW)
        {
            float* d0 = dx + (long)2 * oh * w, d1 = d0 + w;
            for (int ow = 0; last >= 0; ow = Math.Min(ow + 8, last))
            {
                var g = Vector256.Load(dy + ow);
                var k = Vector256.Load(argmax + ow);
                // An argmax that is none of 0…3 (NaN included) sends its gradient nowhere.
                var a = Vector256.ConditionalSelect(Vector256.Equals(k, Vector256<float>.Zero), g, Vector256<float>.Zero);
                var b = Vector256.ConditionalSelect(Vector256.Equals(k, one), g, Vector256<float>.Zero);
                var c = Vector256.ConditionalSelect(Vector256.Equals(k, two), g, Vector256<float>.Zero);
                var d = Vector256.ConditionalSelect(Vector256.Equals(k, three), g, Vector256<float>.Zero);
                Merge(a, b, d0 + 2 * ow);
                Merge(c, d, d1 + 2 * ow);
                if (ow == last) break;
            }
            for (int ow = 0; last < 0 && last4 >= 0; ow = Math.Min(ow + 4, last4))
            {
                var g = Vector128.Load(dy + ow);
                var k = Vector128.Load(argmax + ow);
                var a = Vector128.ConditionalSelect(Vector128.Equals(k, Vector128<float>.Zero), g, Vector128<float>.Zero);
                var b = Vector128.ConditionalSelect(Vector128.Equals(k, one.GetLower()), g, Vector128<float>.Zero);
                var c = Vector128.ConditionalSelect(Vector128.Equals(k, two.GetLower()), g, Vector128<float>.Zero);
                var d = Vector128.ConditionalSelect(Vector128.Equals(k, three.GetLower()), g, Vector128<float>.Zero);
                Merge(a, b, d0 + 2 * ow);
                Merge(c, d, d1 + 2 * ow);
                if (ow == last4) break;
            }
            for (int ow = 0; last4 < 0 && ow < s.OW; ow++)
            {
                float g = dy[ow], k = argmax[ow];
                d0[2 * ow] = k == 0f ? g : 0f;
                d0[2 * ow + 1] = k == 1f ? g : 0f;
                d1[2 * ow] = k == 2f ? g : 0f;
                d1[2 * ow + 1] = k == 3f ? g : 0f;
            }
        }
        ClearUncovered(s, dx);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AvgForward(PoolWork.Shape s, float* x, float* y)
    {
        int w = s.W, last = s.OW - 8;
        var quarter = Vector256.Create(0.25f);
        for (int oh = 0; oh < s.OH; oh++, y += s.OW)
        {
            float* x0 = x + (long)2 * oh * w, x1 = x0 + w;
            for (int ow = 0; last >= 0; ow = Math.Min(ow + 8, last))
            {
                var (a, b) = Split(x0 + 2 * ow);
                var (c, d) = Split(x1 + 2 * ow);
                ((a + b + c + d) * quarter).Store(y + ow);
                if (ow == last) break;
            }
            for (int ow = 0; last < 0 && ow < s.OW; ow++)
                y[ow] = (x0[2 * ow] + x0[2 * ow + 1] + x1[2 * ow] + x1[2 * ow + 1]) * 0.25f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AvgBackward(PoolWork.Shape s, float* dy, float* dx)
    {
        int w = s.W, last = s.OW - 8;
        var quarter = Vector256.Create(0.25f);
        for (int oh = 0; oh < s.OH; oh++, dy += s.OW)
        {
            float* d0 = dx + (long)2 * oh * w, d1 = d0 + w;
            for (int ow = 0; last >= 0; ow = Math.Min(ow + 8, last))
            {
                var g = Vector256.Load(dy + ow) * quarter;
                Merge(g, g, d0 + 2 * ow);
                Merge(g, g, d1 + 2 * ow);
                if (ow == last) break;
            }
            for (int ow = 0; last < 0 && ow < s.OW; ow++)
            {
                float g = dy[ow] * 0.25f;
                d0[2 * ow] = g; d0[2 * ow + 1] = g; d1[2 * ow] = g; d1[2 * ow + 1] = g;
            }
        }
        ClearUncovered(s, dx);
    }

    /// <summary>An odd last column and an odd last row lie in no window: their gradient is 0.</summary>
    private static void ClearUncovered(PoolWork.Shape s, float* dx)
    {
        int w = s.W;
        if (w > 2 * s.OW)
            for (int r = 0; r < 2 * s.OH; r++) dx[(long)r * w + w - 1] = 0f;
        for (int r = 2 * s.OH; r < s.H; r++) new Span<float>(dx + (long)r * w, w).Clear();
    }

    /// <summary>Sixteen consecutive floats split into the even-indexed and odd-indexed eight, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Split(float* p)
    {
        var lo = Avx.LoadVector256(p);
        var hi = Avx.LoadVector256(p + 8);
        // Shuffle works within 128-bit lanes: [0 2 8 10 | 4 6 12 14]; then put the 64-bit pairs in order.
        var even = Avx.Shuffle(lo, hi, 0b10_00_10_00);
        var odd = Avx.Shuffle(lo, hi, 0b11_01_11_01);
        return (Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle(),
                Avx2.Permute4x64(odd.AsDouble(), 0b11_01_10_00).AsSingle());
    }

    /// <summary>Eight consecutive floats split into the even-indexed and odd-indexed four (<paramref name="four"/> is 4; it picks this overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) Split(float* p, int four)
    {
        var lo = Sse.LoadVector128(p);
        var hi = Sse.LoadVector128(p + four);
        return (Sse.Shuffle(lo, hi, 0b10_00_10_00), Sse.Shuffle(lo, hi, 0b11_01_11_01));
    }

    /// <summary>The inverse of the four-wide split: p[2i] = even[i], p[2i + 1] = odd[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge(Vector128<float> even, Vector128<float> odd, float* p)
    {
        Sse.Store(p, Sse.UnpackLow(even, odd));
        Sse.Store(p + 4, Sse.UnpackHigh(even, odd));
    }

    /// <summary>The inverse of <see cref="Split(float*)"/>: p[2i] = even[i], p[2i + 1] = odd[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge(Vector256<float> even, Vector256<float> odd, float* p)
    {
        var t0 = Avx.UnpackLow(even, odd);   // e0 o0 e1 o1 | e4 o4 e5 o5
        var t1 = Avx.UnpackHigh(even, odd);  // e2 o2 e3 o3 | e6 o6 e7 o7
        Avx.Store(p, Avx.Permute2x128(t0, t1, 0x20));
        Avx.Store(p + 8, Avx.Permute2x128(t0, t1, 0x31));
    }
}
