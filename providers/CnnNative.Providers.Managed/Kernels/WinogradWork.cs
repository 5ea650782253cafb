using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// Winograd F(2×2, 3×3) for a 3×3 stride-1 convolution y = x ⊛ g (+ bias, or an epilogue
/// act(scale·(x ⊛ g) + shift) per output channel: batch-norm inference and ReLU folded in): each 2×2 output tile
/// is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over its 4×4 input patch d, so the 36 multiplications per tile and
/// input channel become 16, summed over the input channels as 16 independent GEMMs (one per
/// component e of the 4×4 transform): M[e] (O × tiles) = U[e] (O × I) · V[e] (I × tiles).
/// That is 2.25× fewer multiply-adds than im2col + GEMM, at the price of the transforms (a few
/// additions per value) and some rounding (the transforms add and subtract up to 4 values;
/// measured error against the double reference: see ConvolutionAlgorithmTests).
/// <para>The same routine gives the input gradient of a stride-1 3×3 layer: dx = dy ⊛ rot180(W)ᵀ
/// with padding 2 − P (<see cref="TransformFilters"/> with <c>inputGradient</c>).</para>
/// <para>Work is cut into blocks of <see cref="TilesPerBlock"/> consecutive tiles (in (n, tile row,
/// tile column) order), which threads claim one at a time. A block's transformed input V and GEMM
/// output M stay in the piece's scratch, sized to sit in L2. Tiles are the GEMM's columns, so both
/// transforms work on 16 tiles per vector: the input transform writes V straight into the SGEMM
/// micro-kernel's 32-column B panels, U[e] is its A operand (outputs adjacent, as a transposed A
/// is read), and M[e] comes out with a channel's tiles adjacent, ready for the output transform
/// (WinogradWork.Output.cs) to write whole output rows.</para>
/// </summary>
internal sealed unsafe partial class WinogradWork(NativeScratch[] scratch, SgemmEngine gemm) : IParallelWork
{
    /// <summary>Bytes of V and M a block may use (Zen 4 and recent Intel cores have 1–2 MiB of L2).</summary>
    private const int BlockBytes = 640 * 1024;

    /// <summary>Tiles per B panel: the micro-kernel's columns.</summary>
    private const int Panel = MicroKernel512.Cols;

    /// <summary>
    /// One cache line between consecutive components of V and M beyond their size: the transforms
    /// touch all 16 components of a tile at once, and sizes that are multiples of 4 KiB would put
    /// those 16 lines in one L1 set (8 ways).
    /// </summary>
    private const int Skew = 16;

    public float* X, Y, Bias, U;

    /// <summary>The output pass's epilogue: y = act(Scale[o]·conv + Bias[o]); Scale null means 1, Bias null means 0, act is max(·, 0) when <see cref="Relu"/>.</summary>
    public float* Scale;

    /// <inheritdoc cref="Scale"/>
    public bool Relu;

    /// <summary>Null, or a tensor shaped like Y added to the epilogue before its act: y = act(Scale[o]·conv + Bias[o] + Residual).</summary>
    public float* Residual;
    /// <summary>The 3×3 stride-1 convolution from X [N, I, H, W] to Y [N, O, OH, OW].</summary>
    public ConvGeometry G;
    public int Outputs;

    private int _tilesWide, _tilesHigh, _tilesTotal, _tilesPerBlock, _blocks, _next;

    /// <summary>Whether this geometry can run here: 3×3, stride 1, padding at most 2, AVX-512 (the transforms' permutes and masked stores).</summary>
    public static bool Supports(in ConvGeometry g) =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported && g.KernelHeight == 3 && g.KernelWidth == 3 &&
        g.StrideHeight == 1 && g.StrideWidth == 1 && g.PadHeight <= 2 && g.PadWidth <= 2;

    /// <summary>The geometry of the input gradient of <paramref name="g"/> as a forward convolution of dy (F channels) into dx.</summary>
    public static ConvGeometry InputGradientGeometry(in ConvGeometry g, int filters) =>
        new(g.Batch, filters, g.OutputHeight, g.OutputWidth, 3, 3, 1, 1, 2 - g.PadHeight, 2 - g.PadWidth);

    /// <summary>Floats of the transformed filters for I inputs and O outputs: 16 × I × O.</summary>
    public static long FilterLength(int inputs, int outputs) => 16L * inputs * outputs;

    /// <summary>
    /// U[e] = (G g Gᵀ)[e] for every (input i, output o) pair, at U + e·I·O + i·O + o (the GEMM's
    /// A operand with outputs adjacent). Forward: g[o, i] = W[o, i] (W is [O, I, 3, 3]). Input
    /// gradient: outputs are W's input channels, inputs its filters, and g[o, i] = W[i, o] rotated by 180°.
    /// </summary>
    public static void TransformFilters(float* w, int inputs, int outputs, bool inputGradient, float* u)
    {
        long perComponent = (long)inputs * outputs;
        Span<float> g = stackalloc float[9];
        Span<float> t = stackalloc float[12];
        for (int i = 0; i < inputs; i++)
            for (int o = 0; o < outputs; o++)
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
                float* dst = u + (long)i * outputs + o;
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
        int perTile = 16 * 4 * (G.Channels + Outputs);
        _tilesPerBlock = Math.Clamp(BlockBytes / perTile / Panel * Panel, Panel, 8 * Panel);
        _blocks = (_tilesTotal + _tilesPerBlock - 1) / _tilesPerBlock;
        _next = 0;
        return _blocks;
    }

    /// <summary>Tiles per block (whole B panels).</summary>
    public int TilesPerBlock => _tilesPerBlock;

    /// <summary>Floats from V[e] to V[e + 1].</summary>
    private long VComponent => (long)G.Channels * _tilesPerBlock + Skew;

    /// <summary>Floats of one de-interleaved half row of the padded input (the tile columns plus one, and a vector of slack).</summary>
    private int InputRowFloats => (_tilesWide + 1 + 16 + 15) / 16 * 16;

    /// <summary>Floats from M[e] to M[e + 1].</summary>
    private long MComponent => (long)Outputs * _tilesPerBlock + Skew;

    public void Execute(int part, int parts)
    {
        if (Dy != null)
        {
            ExecuteWeightGradient(part);
            return;
        }
        int inputs = G.Channels, outputs = Outputs, tiles = _tilesPerBlock;
        int rowFloats = InputRowFloats;
        int rows = G.Height + 2 * G.PadHeight + 2;
        long vComponent = VComponent, mComponent = MComponent;
        long v = 16L * vComponent, m = 16L * mComponent, plane = 2L * rows * rowFloats;
        float* work = scratch[part].Get<float>(v + m + plane + 2 * rowFloats); // + the line being de-interleaved
        float* vBase = work, mBase = work + v, planes = work + v + m;
        int block;
        while ((block = Interlocked.Increment(ref _next) - 1) < _blocks)
        {
            int first = block * tiles, count = Math.Min(tiles, _tilesTotal - first);
            TransformInput(first, count, vBase, planes, rowFloats);
            for (int e = 0; e < 16; e++)
            {
                float* a = U + e * (long)inputs * outputs;
                float* b = vBase + e * vComponent;
                float* c = mBase + e * mComponent;
                for (int p = 0; p * Panel < count; p++)
                    TileDispatch.Run(SimdWidth.Vector512, outputs, Math.Min(Panel, count - p * Panel), kContiguous: false,
                        inputs, a, outputs, b + (long)p * inputs * Panel, bStride: 0, c + p * Panel, tiles, 1f, 0f);
            }
            TransformOutput(first, count, mBase, tiles);
        }
    }
}
