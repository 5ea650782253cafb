using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>The classic AVX 8×8 float transpose: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
internal static unsafe class TransposeKernels
{
    public static bool Accelerated => Avx.IsSupported;

    /// <summary>d[j·ld + i] = s[i·ls + j] for i, j &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8(float* s, nint ls, float* d, nint ld) => Block8(s, ls, d, ld, null);

    /// <summary>
    /// d[j·ld + i] = s[i·ls + j] + bias[j] for i, j &lt; 8; no bias when <paramref name="bias"/> is null
    /// (a constant after inlining, so the plain transpose pays nothing for it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8(float* s, nint ls, float* d, nint ld, float* bias)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls);
        var r3 = Avx.LoadVector256(s + 3 * ls);
        var r4 = Avx.LoadVector256(s + 4 * ls);
        var r5 = Avx.LoadVector256(s + 5 * ls);
        var r6 = Avx.LoadVector256(s + 6 * ls);
        var r7 = Avx.LoadVector256(s + 7 * ls);

        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        Store(d, Avx.Permute2x128(u0, u4, 0x20), bias, 0);
        Store(d + ld, Avx.Permute2x128(u1, u5, 0x20), bias, 1);
        Store(d + 2 * ld, Avx.Permute2x128(u2, u6, 0x20), bias, 2);
        Store(d + 3 * ld, Avx.Permute2x128(u3, u7, 0x20), bias, 3);
        Store(d + 4 * ld, Avx.Permute2x128(u0, u4, 0x31), bias, 4);
        Store(d + 5 * ld, Avx.Permute2x128(u1, u5, 0x31), bias, 5);
        Store(d + 6 * ld, Avx.Permute2x128(u2, u6, 0x31), bias, 6);
        Store(d + 7 * ld, Avx.Permute2x128(u3, u7, 0x31), bias, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* d, Vector256<float> row, float* bias, int j) =>
        Avx.Store(d, bias == null ? row : Avx.Add(row, Vector256.Create(bias[j])));

    /// <summary>d[j·ld + i] = s[i·ls + j] for i &lt; 4, j &lt; 8 (four rows become eight 4-float columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block4x8(float* s, nint ls, float* d, nint ld)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls);
        var r3 = Avx.LoadVector256(s + 3 * ls);
        var t0 = Avx.UnpackLow(r0, r1);   // a0 b0 a1 b1 | a4 b4 a5 b5
        var t1 = Avx.UnpackHigh(r0, r1);  // a2 b2 a3 b3 | a6 b6 a7 b7
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var u0 = Avx.Shuffle(t0, t2, 0x44); // column 0 | column 4
        var u1 = Avx.Shuffle(t0, t2, 0xEE); // column 1 | column 5
        var u2 = Avx.Shuffle(t1, t3, 0x44); // column 2 | column 6
        var u3 = Avx.Shuffle(t1, t3, 0xEE); // column 3 | column 7
        Sse.Store(d, u0.GetLower());
        Sse.Store(d + ld, u1.GetLower());
        Sse.Store(d + 2 * ld, u2.GetLower());
        Sse.Store(d + 3 * ld, u3.GetLower());
        Sse.Store(d + 4 * ld, u0.GetUpper());
        Sse.Store(d + 5 * ld, u1.GetUpper());
        Sse.Store(d + 6 * ld, u2.GetUpper());
        Sse.Store(d + 7 * ld, u3.GetUpper());
    }

    /// <summary>
    /// dst[j·rows + i] = src[i·cols + j] for one rows×cols matrix (rows, cols ≥ 8): 8×8 blocks,
    /// the last block in each direction stepping back to overlap the previous one.
    /// </summary>
    public static void Matrix(float* src, int rows, int cols, float* dst)
    {
        for (int i = 0; ; i = Math.Min(i + 8, rows - 8))
        {
            for (int j = 0; ; j = Math.Min(j + 8, cols - 8))
            {
                Block8(src + (long)i * cols + j, cols, dst + (long)j * rows + i, rows);
                if (j == cols - 8) break;
            }
            if (i == rows - 8) break;
        }
    }
}
