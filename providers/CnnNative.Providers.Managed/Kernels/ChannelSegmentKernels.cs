using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Batch-norm kernels over one channel's contiguous run of a batch row (its H·W values), with
/// the channel's constants as scalars. Walking a tensor row by row, channel by channel, through
/// these reads it front to back in one stream, which the prefetchers follow at full speed.
/// </summary>
internal static unsafe class ChannelSegmentKernels
{
    /// <summary>Selects the last <paramref name="remaining"/> (1…15) lanes: the values of a vector loaded at n − 16 that the full vectors before it did not cover.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailMask(int remaining) =>
        Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(16 - remaining)).AsSingle();

    /// <summary>Σ x over <paramref name="n"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(float* x, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                a0 += Vector512.Load(x + i);
                a1 += Vector512.Load(x + i + 16);
            }
            if (i <= n - 16) { a0 += Vector512.Load(x + i); i += 16; }
            if (i < n) a1 += Vector512.Load(x + n - 16) & TailMask(n - i);
            return Vector512.Sum(a0 + a1);
        }
        var b = Vector256<float>.Zero;
        for (; i <= n - 8; i += 8) b += Vector256.Load(x + i);
        float total = Vector256.Sum(b);
        for (; i < n; i++) total += x[i];
        return total;
    }

    /// <summary>Σ (x − a) and Σ (x − a)² over <paramref name="n"/> values (read from L1 right after <see cref="Sum"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Deviation, float Squares) ShiftedMoments(float* x, int n, float a)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var va = Vector512.Create(a);
            Vector512<float> d0 = Vector512<float>.Zero, q0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero, q1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var e0 = Vector512.Load(x + i) - va;
                var e1 = Vector512.Load(x + i + 16) - va;
                d0 += e0; q0 = Vector512.FusedMultiplyAdd(e0, e0, q0);
                d1 += e1; q1 = Vector512.FusedMultiplyAdd(e1, e1, q1);
            }
            if (i <= n - 16)
            {
                var e0 = Vector512.Load(x + i) - va;
                d0 += e0; q0 = Vector512.FusedMultiplyAdd(e0, e0, q0);
                i += 16;
            }
            if (i < n)
            {
                var e1 = (Vector512.Load(x + n - 16) - va) & TailMask(n - i);
                d1 += e1; q1 = Vector512.FusedMultiplyAdd(e1, e1, q1);
            }
            return (Vector512.Sum(d0 + d1), Vector512.Sum(q0 + q1));
        }
        var vb = Vector256.Create(a);
        Vector256<float> db = Vector256<float>.Zero, qb = Vector256<float>.Zero;
        for (; i <= n - 8; i += 8)
        {
            var e = Vector256.Load(x + i) - vb;
            db += e; qb = Vector256.FusedMultiplyAdd(e, e, qb);
        }
        float d = Vector256.Sum(db), q = Vector256.Sum(qb);
        for (; i < n; i++)
        {
            float e = x[i] - a;
            d += e; q += e * e;
        }
        return (d, q);
    }

    /// <summary>Σ dy and Σ dy·(x − μ) over <paramref name="n"/> values, in one pass over both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Dy, float DyDeviation) GradientSums(float* x, float* dy, int n, float mu)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(mu);
            Vector512<float> s0 = Vector512<float>.Zero, t0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero, t1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var g0 = Vector512.Load(dy + i);
                var g1 = Vector512.Load(dy + i + 16);
                s0 += g0; t0 = Vector512.FusedMultiplyAdd(g0, Vector512.Load(x + i) - vm, t0);
                s1 += g1; t1 = Vector512.FusedMultiplyAdd(g1, Vector512.Load(x + i + 16) - vm, t1);
            }
            if (i <= n - 16)
            {
                var g0 = Vector512.Load(dy + i);
                s0 += g0; t0 = Vector512.FusedMultiplyAdd(g0, Vector512.Load(x + i) - vm, t0);
                i += 16;
            }
            if (i < n)
            {
                var mask = TailMask(n - i);
                var g1 = Vector512.Load(dy + n - 16) & mask;
                s1 += g1; t1 = Vector512.FusedMultiplyAdd(g1, (Vector512.Load(x + n - 16) - vm) & mask, t1);
            }
            return (Vector512.Sum(s0 + s1), Vector512.Sum(t0 + t1));
        }
        var vb = Vector256.Create(mu);
        Vector256<float> sb = Vector256<float>.Zero, tb = Vector256<float>.Zero;
        for (; i <= n - 8; i += 8)
        {
            var g = Vector256.Load(dy + i);
            sb += g; tb = Vector256.FusedMultiplyAdd(g, Vector256.Load(x + i) - vb, tb);
        }
        float s = Vector256.Sum(sb), t = Vector256.Sum(tb);
        for (; i < n; i++)
        {
            s += dy[i];
            t += dy[i] * (x[i] - mu);
        }
        return (s, t);
    }

    /// <summary>y = x·scale + shift, then max(·, 0) when <typeparamref name="TRelu"/> is on (NaN → 0, as the ReLU's x &gt; 0 test gives). y may be x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Affine<TRelu>(float* x, float* y, int n, float scale, float shift) where TRelu : struct, ISwitch
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> sc = Vector512.Create(scale), sh = Vector512.Create(shift);
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), sc, sh);
                (TRelu.On ? Vector512.MaxNative(v, Vector512<float>.Zero) : v).Store(y + i);
            }
        }
        Vector256<float> sc8 = Vector256.Create(scale), sh8 = Vector256.Create(shift);
        for (; i <= n - 8; i += 8)
        {
            var v = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), sc8, sh8);
            (TRelu.On ? Vector256.MaxNative(v, Vector256<float>.Zero) : v).Store(y + i);
        }
        for (; i < n; i++)
        {
            float v = MathF.FusedMultiplyAdd(x[i], scale, shift);
            y[i] = TRelu.On && !(v > 0) ? 0f : v;
        }
    }

    /// <summary>dx = a·dy − b − k·(x − μ). dx may be dy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gradient(float* dy, float* x, float* dx, int n, float a, float b, float k, float mu)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> va = Vector512.Create(a), vb = Vector512.Create(b), vk = Vector512.Create(k), vm = Vector512.Create(mu);
            for (; i <= n - 16; i += 16)
                (va * Vector512.Load(dy + i) - vb - vk * (Vector512.Load(x + i) - vm)).Store(dx + i);
        }
        Vector256<float> a8 = Vector256.Create(a), b8 = Vector256.Create(b), k8 = Vector256.Create(k), m8 = Vector256.Create(mu);
        for (; i <= n - 8; i += 8)
            (a8 * Vector256.Load(dy + i) - b8 - k8 * (Vector256.Load(x + i) - m8)).Store(dx + i);
        for (; i < n; i++) dx[i] = a * dy[i] - b - k * (x[i] - mu);
    }
}
