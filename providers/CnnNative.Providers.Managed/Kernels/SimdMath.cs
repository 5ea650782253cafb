using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>Small vector loops the other kernels share, for lengths too short to pay a TensorPrimitives call.</summary>
internal static unsafe class SimdMath
{
    /// <summary>acc[i] += x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInPlace(float* acc, float* x, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) (Vector512.Load(acc + i) + Vector512.Load(x + i)).Store(acc + i);
        for (; i <= n - 8; i += 8) (Vector256.Load(acc + i) + Vector256.Load(x + i)).Store(acc + i);
        for (; i < n; i++) acc[i] += x[i];
    }

    /// <summary>acc[i] += (double)x[i].</summary>
    public static void AddInPlace(double* acc, float* x, int n)
    {
        for (int i = 0; i < n; i++) acc[i] += x[i];
    }

    /// <summary>Σ x[i], in float vectors of 16 lanes (short enough runs that float is exact to ~1e-7 relative per lane).</summary>
    public static double Sum(float* x, int n)
    {
        int i = 0;
        double total = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc += Vector512.Load(x + i);
            total = Vector512.Sum(acc);
        }
        else if (n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) acc += Vector256.Load(x + i);
            total = Vector256.Sum(acc);
        }
        for (; i < n; i++) total += x[i];
        return total;
    }
}
