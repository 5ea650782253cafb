using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>An elementwise function of two inputs at every vector width (the JIT inlines it into <see cref="SimdMap"/>).</summary>
internal interface IBinaryOp
{
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    float Invoke(float a, float b);
}

/// <summary>
/// An in-place update of a parameter from its gradient and up to two state arrays (an
/// optimizer step). <see cref="States"/> is a constant per type, so the loads and stores of
/// unused states disappear when the JIT specialises <see cref="SimdMap.Update{TOp}"/>.
/// </summary>
internal interface IUpdateOp
{
    static abstract int States { get; }
    void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> s1, ref Vector512<float> s2);
    void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> s1, ref Vector256<float> s2);
    void Invoke(ref float p, float g, ref float s1, ref float s2);
}

/// <summary>
/// Drivers for hand-written elementwise kernels: Vector512 body when AVX-512 is accelerated,
/// then Vector256, then a scalar tail of fewer than 8 elements. Element i is read and written
/// by one step only, so an output may be the same memory as an input.
/// </summary>
internal static unsafe class SimdMap
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary<TOp>(TOp op, float* a, float* b, float* c, int n) where TOp : struct, IBinaryOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
                op.Invoke(Vector512.Load(a + i), Vector512.Load(b + i)).Store(c + i);
        }
        for (; i <= n - 8; i += 8)
            op.Invoke(Vector256.Load(a + i), Vector256.Load(b + i)).Store(c + i);
        for (; i < n; i++)
            c[i] = op.Invoke(a[i], b[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<TOp>(TOp op, float* p, float* g, float* s1, float* s2, int n) where TOp : struct, IUpdateOp
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - 16; i += 16)
            {
                var vp = Vector512.Load(p + i);
                var v1 = TOp.States >= 1 ? Vector512.Load(s1 + i) : default;
                var v2 = TOp.States >= 2 ? Vector512.Load(s2 + i) : default;
                op.Invoke(ref vp, Vector512.Load(g + i), ref v1, ref v2);
                vp.Store(p + i);
                if (TOp.States >= 1) v1.Store(s1 + i);
                if (TOp.States >= 2) v2.Store(s2 + i);
            }
        }
        for (; i <= n - 8; i += 8)
        {
            var vp = Vector256.Load(p + i);
            var v1 = TOp.States >= 1 ? Vector256.Load(s1 + i) : default;
            var v2 = TOp.States >= 2 ? Vector256.Load(s2 + i) : default;
            op.Invoke(ref vp, Vector256.Load(g + i), ref v1, ref v2);
            vp.Store(p + i);
            if (TOp.States >= 1) v1.Store(s1 + i);
            if (TOp.States >= 2) v2.Store(s2 + i);
        }
        for (; i < n; i++)
        {
            float x1 = TOp.States >= 1 ? s1[i] : 0f, x2 = TOp.States >= 2 ? s2[i] : 0f;
            op.Invoke(ref p[i], g[i], ref x1, ref x2);
            if (TOp.States >= 1) s1[i] = x1;
            if (TOp.States >= 2) s2[i] = x2;
        }
    }
}
