using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed;

/// <summary>The widest vector the kernels use.</summary>
internal enum SimdWidth
{
    /// <summary>Whatever the processor accelerates best.</summary>
    Best = 0,
    Vector256 = 256,
    Vector512 = 512,
}

internal static class SimdWidthInfo
{
    /// <summary>Vector512 when the JIT accelerates it (AVX-512), else Vector256 (AVX2, or emulated).</summary>
    public static SimdWidth Detect() =>
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512 : SimdWidth.Vector256;

    public static string Describe(SimdWidth width) => width switch
    {
        SimdWidth.Vector512 => "Vector512 (AVX-512, 16 floats)",
        _ when Vector256.IsHardwareAccelerated => "Vector256 (AVX2, 8 floats)",
        _ when Vector128.IsHardwareAccelerated => "Vector256 emulated on Vector128 hardware",
        _ => "scalar (no hardware vectors)",
    };
}
