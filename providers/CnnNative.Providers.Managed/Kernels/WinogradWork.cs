using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Winograd F(2×2, 3×3) for a 3×3 stride-1 convolution y = x ⊛ g (+ bias): each 2×2 output tile
/// is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over its 4×4 input patch d, so the 36 multiplications per tile and
/// input channel become 16, summed over the input channels as 16 independent GEMMs (one per
/// component e of the 4×4 transform): M[e] (tiles × O) = V[e] (tiles × I) · U[e] (I × O).
/// That is 2.25× fewer multiply-adds than im2col + GEMM, at the price of the transforms (a few
/// additions per value) and some rounding (the transforms add and subtract up to 4 values;
/// measured error against the double reference: see ConvolutionAlgorithmTests).
/// <para>The same routine gives the input gradient of a stride-1 3×3 layer: dx = dy ⊛ rot180(W)ᵀ
/// with padding 2 − P (<see cref="TransformFilters"/> with <c>inputGradient</c>).</para>
/// <para>Work is cut into blocks of <see cref="TilesPerBlock"/> consecutive tiles (in (n, tile row,
/// tile column) order), which threads claim one at a time. A block's transformed input V (16 × I ×
/// tiles) and GEMM output M (16 × tiles × O) stay in the piece's scratch, sized to sit in L2; the
/// GEMMs run the SGEMM micro-kernel directly: V[e] is its A operand (tiles adjacent, as a transposed
/// A is read), U[e] its B operand, pre-packed once per call in the kernel's column panels.</para>
/// <para>The input transform reads each input row de-interleaved (even and odd columns apart, one
/// AVX-512 two-source permute per 16 values), so four unaligned loads give a tile column's 4×4
/// patches for 16 tiles at once. The output transform works on 16 output channels at a time and
/// writes each tile's 2×2 outputs, bias added, into NCHW.</para>
/// </summary>
internal sealed unsafe class WinogradWork(NativeScratch[] scratch) : IParallelWork
{
    /// <summary>Bytes of V and M a block may use (Zen 4 and recent Intel cores have 1–2 MiB of L2).</summary>
    private const int BlockBytes = 640 * 1024;

    public float* X, Y, Bias, U;
    /// <summary>The 3×3 stride-1 convolution from X [N, I, H, W] to Y [N, O, OH, OW].</summary>
    public ConvGeometry G;
    public int Outputs;
    public int PanelWidth;

    private int _tilesWide, _tilesHigh, _tilesTotal, _tilesPerBlock, _blocks, _next;

    /// <summary>Whether this geometry can run here: 3×3, stride 1, padding at most 2, AVX-512 (the input transform's permutes).</summary>
    public static bool Supports(in ConvGeometry g) =>
        Avx512F.IsSupported && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1 &&
        g.PadHeight <= 2 && g.PadWidth <= 2;

    /// <summary>The geometry of the input gradient of <paramref name="g"/> as a forward convolution of dy (F channels) into dx.</summary>
    public static ConvGeometry InputGradientGeometry(in ConvGeometry g, int filters) =>
        new(g.Batch, filters, g.OutputHeight, g.OutputWidth, 3, 3, 1, 1, 2 - g.PadHeight, 2 - g.PadWidth);

    /// <summary>Floats of the transformed filters for I inputs and O outputs: 16 × I × O rounded up to whole panels.</summary>
    public static long FilterLength(int inputs, int outputs, int panelWidth) =>
        16L * inputs * ((outputs + panelWidth - 1) / panelWidth * panelWidth);

    /// <summary>
    /// U[e] = (G g Gᵀ)[e] for every (input i, output o) pair, in the micro-kernel's B panels:
    /// U[e] + (o / panel)·I·panel + i·panel + o % panel, zero past the last output.
    /// Forward: g[o, i] = W[o, i] (W is [O, I, 3, 3]). Input gradient: outputs are W's input
    /// channels, inputs its filters, and g[o, i] = W[i, o] rotated by 180°.
    /// </summary>
    public static void TransformFilters(float* w, int inputs, int outputs, bool inputGradient, float* u, int panelWidth)
    {
        int padded = (outputs + panelWidth - 1) / panelWidth * panelWidth;
        long perComponent = (long)inputs * padded;
        new Span<float>(u, checked((int)(16 * perComponent))).Clear();
        Span<float> g = stackalloc float[9];
        Span<float> t = stackalloc float[12];
        for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
            {
                if (inputGradient)
                {
                    float* src = w + ((long)i * outputs + o) * 9;
                    for (int k = 0; k < 9; k++) g[k] = src[8 - k];
                }
                else
                {
                    float* src = w + ((long)o * inputs + i) * 9;
                    for (int k = 0; k < 9; k++) g[k] = src[k];
                }
                // t = G g (4×3), G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]; then u = t Gᵀ (4×4).
                for (int c = 0; c < 3; c++)
                {
                    float g0 = g[c], g1 = g[3 + c], g2 = g[6 + c];
                    t[c] = g0;
                    t[3 + c] = 0.5f * (g0 + g1 + g2);
                    t[6 + c] = 0.5f * (g0 - g1 + g2);
                    t[9 + c] = g2;
                }
                float* dst = u + (o / panelWidth) * (long)inputs * panelWidth + (long)i * panelWidth + o % panelWidth;
                for (int r = 0; r < 4; r++)
                {
                    float t0 = t[3 * r], t1 = t[3 * r + 1], t2 = t[3 * r + 2];
                    dst[(4 * r + 0) * perComponent] = t0;
                    dst[(4 * r + 1) * perComponent] = 0.5f * (t0 + t1 + t2);
                    dst[(4 * r + 2) * perComponent] = 0.5f * (t0 - t1 + t2);
                    dst[(4 * r + 3) * perComponent] = t2;
                }
            }
    }

    /// <summary>Plans the blocks for the current <see cref="G"/> and <see cref="Outputs"/>; returns how many there are.</summary>
    public int Plan()
    {
        _tilesWide = (G.OutputWidth + 1) / 2;
        _tilesHigh = (G.OutputHeight + 1) / 2;
        _tilesTotal = G.Batch * _tilesHigh * _tilesWide;
        int padded = PaddedOutputs;
        int perTile = 16 * 4 * (G.Channels + padded);
        _tilesPerBlock = Math.Clamp(BlockBytes / perTile / 12 * 12, 12, 240);
        _blocks = (_tilesTotal + _tilesPerBlock - 1) / _tilesPerBlock;
        _next = 0;
        return _blocks;
    }

    private int PaddedOutputs => (Outputs + PanelWidth - 1) / PanelWidth * PanelWidth;

    /// <summary>Tiles per block (a multiple of 12, the micro-kernel's rows).</summary>
    public int TilesPerBlock => _tilesPerBlock;

    public void Execute(int part, int parts)
    {
        int inputs = G.Channels, outputs = PaddedOutputs;
        int stride = _tilesPerBlock + 16; // V rows: the input transform's last 16-wide store may run 15 past the block
        int rowFloats = (_tilesWide + 1 + 16 + 15) / 16 * 16; // one de-interleaved half row
        int rows = G.Height + 2 * G.PadHeight + 2;
        long v = 16L * inputs * stride, m = 16L * _tilesPerBlock * outputs, plane = 2L * rows * rowFloats;
        float* work = scratch[part].Get<float>(v + m + plane + 16);
        float* vBase = work, mBase = work + v, planes = work + v + m;
        int block;
        while ((block = Interlocked.Increment(ref _next) - 1) < _blocks)
        {
            int first = block * _tilesPerBlock, count = Math.Min(_tilesPerBlock, _tilesTotal - first);
            TransformInput(first, count, vBase, stride, planes, rowFloats);
            float* bPanel = U;
            long uComponent = (long)inputs * outputs;
            for (int e = 0; e < 16; e++)
            {
                float* a = vBase + (long)e * inputs * stride;
                float* c = mBase + (long)e * _tilesPerBlock * outputs;
                for (int q = 0; q * PanelWidth < Outputs; q++)
                    TileDispatch.Run(SimdWidth.Vector512, count, Math.Min(PanelWidth, Outputs - q * PanelWidth), kContiguous: false,
                        inputs, a, stride, bPanel + e * uComponent + (long)q * inputs * PanelWidth, c + q * PanelWidth, outputs, 1f, 0f);
            }
            TransformOutput(first, count, mBase, outputs);
        }
    }

    /// <summary>V[e][i][t] = (Bᵀ d B)[e] for the block's tiles t (0 … count − 1) and every input channel i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformInput(int first, int count, float* vBase, int stride, float* planes, int rowFloats)
    {
        var g = G;
        int tw = _tilesWide, th = _tilesHigh, perImage = tw * th;
        int rows = g.Height + 2 * g.PadHeight + 2;
        float* even = planes, odd = planes + (long)rows * rowFloats;
        long component = (long)g.Channels * stride;
        int nFirst = first / perImage, nLast = (first + count - 1) / perImage;
        for (int i = 0; i < g.Channels; i++)
            for (int n = nFirst; n <= nLast; n++)
            {
                int t0 = Math.Max(first, n * perImage) - n * perImage;           // first tile of this image in the block
                int t1 = Math.Min(first + count, (n + 1) * perImage) - n * perImage; // one past its last
                int s0 = t0 / tw, s1 = (t1 - 1) / tw;
                Deinterleave(X + ((long)n * g.Channels + i) * g.Height * g.Width, 2 * s0, 2 * s1 + 4, even, odd, rowFloats);
                float* vRow = vBase + (long)i * stride + (n * perImage + t0 - first) - t0;
                for (int s = s0; s <= s1; s++)
                {
                    int u0 = s == s0 ? t0 - s * tw : 0, u1 = s == s1 ? t1 - s * tw : tw;
                    float* e0 = even + (long)(2 * s) * rowFloats, o0 = odd + (long)(2 * s) * rowFloats;
                    for (int u = u0; u < u1; u += 16)
                        Tile16(e0 + u, o0 + u, rowFloats, vRow + s * tw + u, component);
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
        int width = 2 * rowFloats;
        float* line = stackalloc float[width + 32];
        var evenIndex = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var oddIndex = evenIndex + Vector512<int>.One;
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
            new Span<float>(line, width).Clear();
            new ReadOnlySpan<float>(plane + (long)h * g.Width, Math.Min(g.Width, width - g.PadWidth)).CopyTo(new Span<float>(line + g.PadWidth, width - g.PadWidth));
            for (int j = 0; j < rowFloats; j += 16)
            {
                var lo = Vector512.Load(line + 2 * j);
                var hi = Vector512.Load(line + 2 * j + 16);
                Avx512F.PermuteVar16x32x2(lo, evenIndex, hi).Store(e + j);
                Avx512F.PermuteVar16x32x2(lo, oddIndex, hi).Store(o + j);
            }
        }
    }

    /// <summary>
    /// Bᵀ d B for 16 horizontally adjacent tiles whose 4×4 patches start at even/odd column
    /// <paramref name="even"/>, <paramref name="odd"/> of four consecutive padded rows; component e
    /// goes to v + e·component (16 floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile16(float* even, float* odd, int rowFloats, float* v, long component)
    {
        // Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], applied along each row (columns 2u … 2u + 3),
        // then down the four rows.
        Row(even, odd, out var a0, out var a1, out var a2, out var a3);
        Row(even + rowFloats, odd + rowFloats, out var b0, out var b1, out var b2, out var b3);
        Row(even + 2 * rowFloats, odd + 2 * rowFloats, out var c0, out var c1, out var c2, out var c3);
        Row(even + 3 * rowFloats, odd + 3 * rowFloats, out var d0, out var d1, out var d2, out var d3);
        (a0 - c0).Store(v + 0 * component); (a1 - c1).Store(v + 1 * component); (a2 - c2).Store(v + 2 * component); (a3 - c3).Store(v + 3 * component);
        (b0 + c0).Store(v + 4 * component); (b1 + c1).Store(v + 5 * component); (b2 + c2).Store(v + 6 * component); (b3 + c3).Store(v + 7 * component);
        (c0 - b0).Store(v + 8 * component); (c1 - b1).Store(v + 9 * component); (c2 - b2).Store(v + 10 * component); (c3 - b3).Store(v + 11 * component);
        (b0 - d0).Store(v + 12 * component); (b1 - d1).Store(v + 13 * component); (b2 - d2).Store(v + 14 * component); (b3 - d3).Store(v + 15 * component);
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

    /// <summary>y = Aᵀ M A (+ bias) for the block's tiles, 16 output channels at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformOutput(int first, int count, float* mBase, int ldm)
    {
        var g = G;
        int tw = _tilesWide, th = _tilesHigh, oh = g.OutputHeight, ow = g.OutputWidth;
        long plane = (long)oh * ow, component = (long)_tilesPerBlock * ldm;
        float* out4 = stackalloc float[64];
        for (int t = 0; t < count; t++)
        {
            int tile = first + t, n = tile / (tw * th), rest = tile - n * tw * th, s = rest / tw, u = rest - s * tw;
            int y0 = 2 * s, x0 = 2 * u;
            bool whole = y0 + 1 < oh && x0 + 1 < ow;
            float* m = mBase + (long)t * ldm;
            for (int o0 = 0; o0 < Outputs; o0 += 16)
            {
                // Aᵀ = [1 1 1 0; 0 1 −1 −1]: first down the 4 rows of M, then along the columns.
                var p0 = Vector512.Load(m + 0 * component + o0) + Vector512.Load(m + 4 * component + o0) + Vector512.Load(m + 8 * component + o0);
                var p1 = Vector512.Load(m + 1 * component + o0) + Vector512.Load(m + 5 * component + o0) + Vector512.Load(m + 9 * component + o0);
                var p2 = Vector512.Load(m + 2 * component + o0) + Vector512.Load(m + 6 * component + o0) + Vector512.Load(m + 10 * component + o0);
                var p3 = Vector512.Load(m + 3 * component + o0) + Vector512.Load(m + 7 * component + o0) + Vector512.Load(m + 11 * component + o0);
                var q0 = Vector512.Load(m + 4 * component + o0) - Vector512.Load(m + 8 * component + o0) - Vector512.Load(m + 12 * component + o0);
                var q1 = Vector512.Load(m + 5 * component + o0) - Vector512.Load(m + 9 * component + o0) - Vector512.Load(m + 13 * component + o0);
                var q2 = Vector512.Load(m + 6 * component + o0) - Vector512.Load(m + 10 * component + o0) - Vector512.Load(m + 14 * component + o0);
                var q3 = Vector512.Load(m + 7 * component + o0) - Vector512.Load(m + 11 * component + o0) - Vector512.Load(m + 15 * component + o0);
                var bias = Bias == null ? Vector512<float>.Zero
                    : o0 + 16 <= Outputs ? Vector512.Load(Bias + o0)
                    : Avx512F.MaskLoad(Bias + o0, Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(Outputs - o0)).AsSingle(), Vector512<float>.Zero);
                (p0 + p1 + p2 + bias).Store(out4);
                (p1 - p2 - p3 + bias).Store(out4 + 16);
                (q0 + q1 + q2 + bias).Store(out4 + 32);
                (q1 - q2 - q3 + bias).Store(out4 + 48);
                int lanes = Math.Min(16, Outputs - o0);
                float* y = Y + ((long)n * Outputs + o0) * plane + (long)y0 * ow + x0;
                if (whole)
                {
                    for (int l = 0; l < lanes; l++, y += plane)
                    {
                        y[0] = out4[l];
                        y[1] = out4[16 + l];
                        y[ow] = out4[32 + l];
                        y[ow + 1] = out4[48 + l];
                    }
                }
                else
                {
                    bool right = x0 + 1 < ow, below = y0 + 1 < oh;
                    for (int l = 0; l < lanes; l++, y += plane)
                    {
                        y[0] = out4[l];
                        if (right) y[1] = out4[16 + l];
                        if (below) y[ow] = out4[32 + l];
                        if (right && below) y[ow + 1] = out4[48 + l];
                    }
                }
            }
        }
    }
}
