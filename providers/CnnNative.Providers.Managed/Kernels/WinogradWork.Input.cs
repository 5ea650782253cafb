using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnNative.Providers.Managed.Kernels;

// The input transform: V[e][i][t] = (Bᵀ d B)[e] for a block's tiles, written in the micro-kernel's
// B panels. Each input row is read de-interleaved (even and odd columns apart, one AVX-512
// two-source permute per 16 values), so four unaligned loads give a tile column's 4×4 patches
// for 16 tiles of one tile row at once.
internal sealed unsafe partial class WinogradWork
{
    /// <summary>
    /// V for the block's tiles first … first + count − 1 and every input channel: tile slot j at
    /// V[e] + (j / P)·I·P + i·P + j % P, in panels of P = <paramref name="panel"/> tiles (the
    /// micro-kernel's 32 for the forward's B operand; the whole block for the weight gradient, whose
    /// GEMMs read V row by row with the tiles as k).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformInput(int first, int count, float* vBase, float* planes, int rowFloats, int panel = Panel)
    {
        var g = G;
        int tw = _tilesWide, th = _tilesHigh, perImage = tw * th;
        int rows = g.Height + 2 * g.PadHeight + 2;
        float* even = planes, odd = planes + (long)rows * rowFloats;
        long component = VComponent, panelFloats = (long)g.Channels * panel;
        int nFirst = first / perImage, nLast = (first + count - 1) / perImage;
        for (int i = 0; i < g.Channels; i++)
            for (int n = nFirst; n <= nLast; n++)
            {
                int t0 = Math.Max(first, n * perImage) - n * perImage;           // first tile of this image in the block
                int t1 = Math.Min(first + count, (n + 1) * perImage) - n * perImage; // one past its last
                int s0 = t0 / tw, s1 = (t1 - 1) / tw;
                Deinterleave(X + ((long)n * g.Channels + i) * g.Height * g.Width, 2 * s0, 2 * s1 + 4, even, odd, rowFloats);
                int slot0 = n * perImage - first; // slot of this image's tile 0 (may be negative)
                for (int s = s0; s <= s1; s++)
                {
                    int u0 = s == s0 ? t0 - s * tw : 0, u1 = s == s1 ? t1 - s * tw : tw;
                    float* e0 = even + (long)(2 * s) * rowFloats, o0 = odd + (long)(2 * s) * rowFloats;
                    for (int u = u0; u < u1; u += 16)
                    {
                        int slot = slot0 + s * tw + u, inPanel = panel - slot % panel;
                        float* here = vBase + (long)(slot / panel) * panelFloats + i * panel + slot % panel;
                        float* there = here + panelFloats - panel; // the next panel's row i, inPanel lanes back
                        Tile16(e0 + u, o0 + u, rowFloats, here, there, Math.Min(16, u1 - u), inPanel, component);
                    }
                }
            }
    }

    /// <summary>
    /// Padded rows r0 … r1 − 1 of one input plane (row r is input row r − PH, zero outside), each
    /// split into even[r][j] = row[2j − PW] and odd[r][j] = row[2j + 1 − PW] (zero outside).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Deinterleave(float* plane, int r0, int r1, float* even, float* odd, int rowFloats)
    {
        var g = G;
        int width = 2 * rowFloats, copied = Math.Min(g.Width, width - g.PadWidth);
        float* line = odd + (long)(g.Height + 2 * g.PadHeight + 2) * rowFloats; // past the odd plane: the caller's scratch holds 2·rowFloats more
        // The padding around the copied row stays zero for every row.
        new Span<float>(line, width).Clear();
        for (int r = r0; r < r1; r++)
        {
            int h = r - g.PadHeight;
            float* e = even + (long)r * rowFloats, o = odd + (long)r * rowFloats;
            if (h < 0 || h >= g.Height)
            {
                new Span<float>(e, rowFloats).Clear();
                new Span<float>(o, rowFloats).Clear();
                continue;
            }
            new ReadOnlySpan<float>(plane + (long)h * g.Width, copied).CopyTo(new Span<float>(line + g.PadWidth, copied));
            SplitEvenOdd(line, e, o, rowFloats);
        }
    }

    /// <summary>even[j] = line[2j], odd[j] = line[2j + 1] for j &lt; <paramref name="count"/> (a multiple of 16): one two-source permute per 16 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitEvenOdd(float* line, float* even, float* odd, int count)
    {
        var evenIndex = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var oddIndex = evenIndex + Vector512<int>.One;
        for (int j = 0; j < count; j += 16)
        {
            var lo = Vector512.Load(line + 2 * j);
            var hi = Vector512.Load(line + 2 * j + 16);
            Avx512F.PermuteVar16x32x2(lo, evenIndex, hi).Store(even + j);
            Avx512F.PermuteVar16x32x2(lo, oddIndex, hi).Store(odd + j);
        }
    }

    /// <summary>
    /// Bᵀ d B for up to 16 horizontally adjacent tiles (<paramref name="lanes"/> of them) whose 4×4
    /// patches start at even/odd column <paramref name="even"/>, <paramref name="odd"/> of four
    /// consecutive padded rows. Component e goes to <paramref name="here"/> + e·component, lanes
    /// from <paramref name="inPanel"/> on (past the panel's end) to <paramref name="there"/> + e·component.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile16(float* even, float* odd, int rowFloats, float* here, float* there, int lanes, int inPanel, long component)
    {
        // Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], applied along each row (columns 2u … 2u + 3),
        // then down the four rows.
        Row(even, odd, out var a0, out var a1, out var a2, out var a3);
        Row(even + rowFloats, odd + rowFloats, out var b0, out var b1, out var b2, out var b3);
        Row(even + 2 * rowFloats, odd + 2 * rowFloats, out var c0, out var c1, out var c2, out var c3);
        Row(even + 3 * rowFloats, odd + 3 * rowFloats, out var d0, out var d1, out var d2, out var d3);
        if (lanes == 16 && inPanel >= 16)
        {
            (a0 - c0).Store(here + 0 * component); (a1 - c1).Store(here + 1 * component);
            (a2 - c2).Store(here + 2 * component); (a3 - c3).Store(here + 3 * component);
            (b0 + c0).Store(here + 4 * component); (b1 + c1).Store(here + 5 * component);
            (b2 + c2).Store(here + 6 * component); (b3 + c3).Store(here + 7 * component);
            (c0 - b0).Store(here + 8 * component); (c1 - b1).Store(here + 9 * component);
            (c2 - b2).Store(here + 10 * component); (c3 - b3).Store(here + 11 * component);
            (b0 - d0).Store(here + 12 * component); (b1 - d1).Store(here + 13 * component);
            (b2 - d2).Store(here + 14 * component); (b3 - d3).Store(here + 15 * component);
            return;
        }
        var indices = Vector512<int>.Indices;
        var first = Vector512.LessThan(indices, Vector512.Create(Math.Min(lanes, inPanel))).AsSingle();
        if (lanes <= inPanel)
        {
            Avx512F.MaskStore(here + 0 * component, first, a0 - c0); Avx512F.MaskStore(here + 1 * component, first, a1 - c1);
            Avx512F.MaskStore(here + 2 * component, first, a2 - c2); Avx512F.MaskStore(here + 3 * component, first, a3 - c3);
            Avx512F.MaskStore(here + 4 * component, first, b0 + c0); Avx512F.MaskStore(here + 5 * component, first, b1 + c1);
            Avx512F.MaskStore(here + 6 * component, first, b2 + c2); Avx512F.MaskStore(here + 7 * component, first, b3 + c3);
            Avx512F.MaskStore(here + 8 * component, first, c0 - b0); Avx512F.MaskStore(here + 9 * component, first, c1 - b1);
            Avx512F.MaskStore(here + 10 * component, first, c2 - b2); Avx512F.MaskStore(here + 11 * component, first, c3 - b3);
            Avx512F.MaskStore(here + 12 * component, first, b0 - d0); Avx512F.MaskStore(here + 13 * component, first, b1 - d1);
            Avx512F.MaskStore(here + 14 * component, first, b2 - d2); Avx512F.MaskStore(here + 15 * component, first, b3 - d3);
            return;
        }
        // The tiles run into the next panel: lanes before the panel's end go here, the rest there
        // (masked stores write only their own lanes).
        var rest = (Vector512.GreaterThanOrEqual(indices, Vector512.Create(inPanel)) & Vector512.LessThan(indices, Vector512.Create(lanes))).AsSingle();
        Split(a0 - c0, here, there, first, rest); Split(a1 - c1, here + component, there + component, first, rest);
        Split(a2 - c2, here + 2 * component, there + 2 * component, first, rest); Split(a3 - c3, here + 3 * component, there + 3 * component, first, rest);
        Split(b0 + c0, here + 4 * component, there + 4 * component, first, rest); Split(b1 + c1, here + 5 * component, there + 5 * component, first, rest);
        Split(b2 + c2, here + 6 * component, there + 6 * component, first, rest); Split(b3 + c3, here + 7 * component, there + 7 * component, first, rest);
        Split(c0 - b0, here + 8 * component, there + 8 * component, first, rest); Split(c1 - b1, here + 9 * component, there + 9 * component, first, rest);
        Split(c2 - b2, here + 10 * component, there + 10 * component, first, rest); Split(c3 - b3, here + 11 * component, there + 11 * component, first, rest);
        Split(b0 - d0, here + 12 * component, there + 12 * component, first, rest); Split(b1 - d1, here + 13 * component, there + 13 * component, first, rest);
        Split(b2 - d2, here + 14 * component, there + 14 * component, first, rest); Split(b3 - d3, here + 15 * component, there + 15 * component, first, rest);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(Vector512<float> value, float* here, float* there, Vector512<float> first, Vector512<float> rest)
    {
        Avx512F.MaskStore(here, first, value);
        Avx512F.MaskStore(there, rest, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* even, float* odd, out Vector512<float> r0, out Vector512<float> r1, out Vector512<float> r2, out Vector512<float> r3)
    {
        var x0 = Vector512.Load(even);     // column 2u
        var x1 = Vector512.Load(odd);      // 2u + 1
        var x2 = Vector512.Load(even + 1); // 2u + 2
        var x3 = Vector512.Load(odd + 1);  // 2u + 3
        r0 = x0 - x2;
        r1 = x1 + x2;
        r2 = x2 - x1;
        r3 = x1 - x3;
    }
}
