using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;

namespace CnnNative.Providers.Managed.Kernels;

// The weight gradient by Winograd F(2×2, 3×3), the forward's adjoint: with y = Aᵀ[(G g Gᵀ) ⊙ V]A per
// tile, dL/dg = Gᵀ [Σ_tiles (A dY Aᵀ) ⊙ V] G. So per component e the products are summed over the
// tiles — S[e] (F × I) = Σ_t DY[e][f, t]·V[e][i, t], one GEMM per component and block with the
// block's tiles as its k — and the 4×4 sums go back to 3×3 weights once at the end: 16 multiplications
// per tile and (filter, input) pair where im2col's weight gradient does 36. V is the forward's input
// transform, written row by row (one panel as wide as the block); dy's 2×2 tiles are transformed the
// same way, 16 tiles per vector. Each piece sums its blocks into its own S; FinishWeightGradient adds
// them and applies Gᵀ·G.
internal sealed unsafe partial class WinogradWork
{
    /// <summary>The weight gradient's dy [N, Outputs, OH, OW]; null for the forward and input-gradient passes.</summary>
    public float* Dy;

    /// <summary>Floats from DY[e] to DY[e + 1] (the block's transformed dy: filters × tiles, panel by panel, like V).</summary>
    private long DyComponent => (long)Outputs * _tilesPerBlock + Skew;

    private long SumLength => 16L * Outputs * G.Channels;

    private int DyRowFloats => (_tilesWide + 16 + 15) / 16 * 16;

    /// <summary>Piece <paramref name="part"/>'s scratch: S [16, F, I], then V, DY, the input planes and dy's two de-interleaved rows.</summary>
    private float* WeightGradientScratch(int part)
    {
        int rows = G.Height + 2 * G.PadHeight + 2, rowFloats = InputRowFloats;
        long planes = 2L * rows * rowFloats + 2L * rowFloats;
        return scratch[part].Get<float>(SumLength + 16 * VComponent + 16 * DyComponent + planes + 6L * DyRowFloats + 64);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ExecuteWeightGradient(int part)
    {
        int inputs = G.Channels, outputs = Outputs, tiles = _tilesPerBlock;
        int rowFloats = InputRowFloats;
        int rows = G.Height + 2 * G.PadHeight + 2;
        long vComponent = VComponent, dComponent = DyComponent;
        float* s = WeightGradientScratch(part);
        float* vBase = s + SumLength, dBase = vBase + 16 * vComponent, planes = dBase + 16 * dComponent;
        float* dyLines = planes + 2L * rows * rowFloats + 2L * rowFloats;
        new Span<float>(s, checked((int)SumLength)).Clear();
        int block;
        while ((block = Interlocked.Increment(ref _next) - 1) < _blocks)
        {
            int first = block * tiles, count = Math.Min(tiles, _tilesTotal - first);
            TransformInput(first, count, vBase, planes, rowFloats, panel: tiles);
            TransformDy(first, count, dBase, dyLines, tiles);
            // S[e] (F × I) += DY[e] (F × count) · V[e]ᵀ (count × I): the block's tiles are k.
            for (int e = 0; e < 16; e++)
                gemm.RunOnThisThread(part, Transpose.NoTranspose, Transpose.Transpose, outputs, inputs, count, 1f,
                    dBase + e * dComponent, tiles, vBase + e * vComponent, tiles, 1f, s + e * (long)outputs * inputs, inputs);
        }
    }

    /// <summary>
    /// dW [F, I, 3, 3] = Gᵀ S G from the pieces' sums; call after the pool has run <paramref name="parts"/>
    /// pieces of the weight gradient.
    /// </summary>
    public void FinishWeightGradient(int parts, float* dWeights)
    {
        long pairs = (long)Outputs * G.Channels;
        float* total = WeightGradientScratch(0);
        for (int p = 1; p < parts; p++) SimdMath.AddInPlace(total, WeightGradientScratch(p), checked((int)SumLength));
        Span<float> t = stackalloc float[12];
        for (long q = 0; q < pairs; q++)
        {
            // T = S·G (4×3) row by row, then dW = Gᵀ·T; G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
            for (int i = 0; i < 4; i++)
            {
                float s0 = total[(4 * i + 0) * pairs + q], s1 = total[(4 * i + 1) * pairs + q];
                float s2 = total[(4 * i + 2) * pairs + q], s3 = total[(4 * i + 3) * pairs + q];
                t[3 * i] = s0 + 0.5f * (s1 + s2);
                t[3 * i + 1] = 0.5f * (s1 - s2);
                t[3 * i + 2] = 0.5f * (s1 + s2) + s3;
            }
            float* w = dWeights + q * 9; // q = f·I + i, as dW's [F, I] order
            for (int b = 0; b < 3; b++)
            {
                w[b] = t[b] + 0.5f * (t[3 + b] + t[6 + b]);
                w[3 + b] = 0.5f * (t[3 + b] - t[6 + b]);
                w[6 + b] = 0.5f * (t[3 + b] + t[6 + b]) + t[9 + b];
            }
        }
    }

    /// <summary>DY[e][f, slot] = (A dY Aᵀ)[e] of each tile's 2×2 block of dy (zero past the output), in panels of <paramref name="panel"/> tiles like V's, with F rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformDy(int first, int count, float* dBase, float* lines, int panel)
    {
        var g = G;
        int tw = _tilesWide, perImage = tw * _tilesHigh, oh = g.OutputHeight, ow = g.OutputWidth, rowFloats = DyRowFloats;
        long component = DyComponent, panelFloats = (long)Outputs * panel, plane = (long)oh * ow;
        float* even0 = lines, odd0 = lines + rowFloats, even1 = lines + 2 * rowFloats, odd1 = lines + 3 * rowFloats, line = lines + 4 * rowFloats;
        Vector512<float>* c = stackalloc Vector512<float>[16];
        int nFirst = first / perImage, nLast = (first + count - 1) / perImage;
        for (int f = 0; f < Outputs; f++)
            for (int n = nFirst; n <= nLast; n++)
            {
                int t0 = Math.Max(first, n * perImage) - n * perImage, t1 = Math.Min(first + count, (n + 1) * perImage) - n * perImage;
                int slot0 = n * perImage - first;
                float* dy = Dy + ((long)n * Outputs + f) * plane;
                for (int s = t0 / tw; s <= (t1 - 1) / tw; s++)
                {
                    SplitRow(dy, 2 * s, oh, ow, line, even0, odd0, rowFloats);
                    SplitRow(dy, 2 * s + 1, oh, ow, line, even1, odd1, rowFloats);
                    int u0 = Math.Max(t0 - s * tw, 0), u1 = Math.Min(t1 - s * tw, tw);
                    for (int u = u0; u < u1; u += 16)
                    {
                        // Along each row: [d0, d0 + d1, d0 − d1, −d1]; then down the two rows the same way.
                        var a0 = Vector512.Load(even0 + u); var a1 = Vector512.Load(odd0 + u);
                        var b0 = Vector512.Load(even1 + u); var b1 = Vector512.Load(odd1 + u);
                        var r0 = a0; var r1 = a0 + a1; var r2 = a0 - a1; var r3 = -a1;
                        var q0 = b0; var q1 = b0 + b1; var q2 = b0 - b1; var q3 = -b1;
                        c[0] = r0; c[1] = r1; c[2] = r2; c[3] = r3;
                        c[4] = r0 + q0; c[5] = r1 + q1; c[6] = r2 + q2; c[7] = r3 + q3;
                        c[8] = r0 - q0; c[9] = r1 - q1; c[10] = r2 - q2; c[11] = r3 - q3;
                        c[12] = -q0; c[13] = -q1; c[14] = -q2; c[15] = -q3;
                        int slot = slot0 + s * tw + u, inPanel = panel - slot % panel, lanes = Math.Min(16, u1 - u);
                        float* here = dBase + (long)(slot / panel) * panelFloats + (long)f * panel + slot % panel;
                        float* there = here + panelFloats - panel;
                        var indices = Vector512<int>.Indices;
                        var mine = Vector512.LessThan(indices, Vector512.Create(Math.Min(lanes, inPanel))).AsSingle();
                        var rest = (Vector512.GreaterThanOrEqual(indices, Vector512.Create(inPanel)) & Vector512.LessThan(indices, Vector512.Create(lanes))).AsSingle();
                        for (int e = 0; e < 16; e++)
                        {
                            Avx512F.MaskStore(here + e * component, mine, c[e]);
                            if (lanes > inPanel) Avx512F.MaskStore(there + e * component, rest, c[e]);
                        }
                    }
                }
            }
    }

    /// <summary>Row <paramref name="r"/> of a dy plane split into even and odd columns (zero past the output's edge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitRow(float* plane, int r, int oh, int ow, float* line, float* even, float* odd, int rowFloats)
    {
        if (r >= oh)
        {
            new Span<float>(even, rowFloats).Clear();
            new Span<float>(odd, rowFloats).Clear();
            return;
        }
        new ReadOnlySpan<float>(plane + (long)r * ow, ow).CopyTo(new Span<float>(line, ow));
        new Span<float>(line + ow, 2 * rowFloats - ow).Clear();
        SplitEvenOdd(line, even, odd, rowFloats);
    }
}
