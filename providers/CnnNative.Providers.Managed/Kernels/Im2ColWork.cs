using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnNative.Core;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// im2col and its adjoint col2im, images split across the pieces: image n owns col rows
/// [n·OH·OW, (n+1)·OH·OW) and dx[n], so pieces never write the same memory.
/// Layout (defined on <see cref="IComputeProvider.Im2Col"/>): row (n·OH + oh)·OW + ow,
/// column (c·KH + kh)·KW + kw; each row is one whole patch, written front to back.
/// <para>im2col copies each kernel row (KW ≤ 16 values) with one masked load and one masked
/// store: lanes that fall in the padding are masked off on load (read as 0, never touched in
/// memory). col2im transposes an image's col block to [patch, OH·OW] in scratch first, so that
/// for stride 1 every (c, kh, kw) and output row adds one contiguous run into dx with vectors,
/// instead of scattering element by element.</para>
/// </summary>
internal sealed unsafe class Im2ColWork(NativeScratch[] scratch) : IParallelWork
{
    public bool Backward;
    public float* X, Col;
    public ConvGeometry G;
    public int Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int parts)
    {
        var (start, end) = RangeWork.Chunk(Count, part, parts);
        var g = G;
        int spatial = g.OutputHeight * g.OutputWidth;
        bool transposed = Backward && TransposeKernels.Accelerated && spatial >= 8 && g.PatchSize >= 8;
        float* t = transposed ? scratch[part].Get<float>((long)spatial * g.PatchSize) : null;
        for (int n = start; n < end; n++)
        {
            if (!Backward) Im2ColImage(n);
            else if (transposed) Col2ImTransposed(n, t);
            else Col2ImImage(n);
        }
    }

    private void Im2ColImage(int n) =>
        Image(G, X + (long)n * G.Channels * G.Height * G.Width, Col + (long)n * G.OutputHeight * G.OutputWidth * G.PatchSize);

    /// <summary>
    /// The im2col of one image [C, H, W] in the transposed layout [patch, OH·OW]: row
    /// (c·KH + kh)·KW + kw holds the input under that kernel tap for every output position, so at
    /// stride 1 each output row is one contiguous run of the input row (one or two masked vector
    /// copies; lanes in the padding are masked off on load and read as 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ImagePatchRows(in ConvGeometry g, float* image, float* dst)
    {
        int h = g.Height, w = g.Width, oh1 = g.OutputHeight, ow1 = g.OutputWidth;
        int sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PadHeight, pw = g.PadWidth;
        bool masked = Avx512F.IsSupported && sw == 1;
        var lanes = Vector512<int>.Indices;
        for (int c = 0; c < g.Channels; c++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int iw0 = kw - pw;
                    // The first two vectors' masks depend on kw only: computed once per kernel tap, not per row.
                    var store0 = ColumnMask(lanes, 0, 0, ow1);
                    var load0 = ColumnMask(lanes, 0, -iw0, Math.Min(ow1, w - iw0));
                    var store1 = ColumnMask(lanes, 16, 0, ow1);
                    var load1 = ColumnMask(lanes, 16, -iw0, Math.Min(ow1, w - iw0));
                    for (int oh = 0; oh < oh1; oh++, dst += ow1)
                    {
                        int ih = oh * sh - ph + kh;
                        float* src = image + ((long)c * h + ih) * w + iw0; // output column j reads src[j·sw]
                        bool inside = (uint)ih < (uint)h;
                        if (masked)
                        {
                            Avx512F.MaskStore(dst, store0, inside ? Avx512F.MaskLoad(src, load0, Vector512<float>.Zero) : Vector512<float>.Zero);
                            if (ow1 <= 16) continue;
                            Avx512F.MaskStore(dst + 16, store1, inside ? Avx512F.MaskLoad(src + 16, load1, Vector512<float>.Zero) : Vector512<float>.Zero);
                            for (int j = 32; j < ow1; j += 16)
                            {
                                var store = ColumnMask(lanes, j, 0, ow1);
                                var load = ColumnMask(lanes, j, -iw0, Math.Min(ow1, w - iw0));
                                Avx512F.MaskStore(dst + j, store, inside ? Avx512F.MaskLoad(src + j, load, Vector512<float>.Zero) : Vector512<float>.Zero);
                            }
                            continue;
                        }
                        for (int j = 0; j < ow1; j++)
                        {
                            int iw = iw0 + j * sw;
                            dst[j] = inside && (uint)iw < (uint)w ? src[j * sw] : 0f;
                        }
                    }
                }
    }

    /// <summary>Lanes whose column j + lane lies in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static Vector512<float> ColumnMask(Vector512<int> lanes, int j, int from, int to)
    {
        var at = lanes + Vector512.Create(j);
        return (Vector512.GreaterThanOrEqual(at, Vector512.Create(from)) & Vector512.LessThan(at, Vector512.Create(to))).AsSingle();
    }

    /// <summary>The im2col rows of one image [C, H, W] into <paramref name="row"/> [OH·OW, patch].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Image(in ConvGeometry g, float* image, float* row)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.Height, w = g.Width, channels = g.Channels;
        int oh1 = g.OutputHeight, ow1 = g.OutputWidth, sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PadHeight, pw = g.PadWidth;
        long plane = (long)h * w;
        bool masked = Avx512F.IsSupported && kw <= 16;
        var lanes = Vector512<int>.Indices;
        var storeMask = Vector512.LessThan(lanes, Vector512.Create(kw)).AsSingle();
        for (int oh = 0; oh < oh1; oh++)
        {
            int ih0 = oh * sh - ph;
            for (int ow = 0; ow < ow1; ow++, row += g.PatchSize)
            {
                int iw0 = ow * sw - pw;
                // The kernel columns that land inside the image for this output column.
                int lo = Math.Max(0, -iw0), hi = Math.Min(kw, w - iw0);
                float* dst = row;
                if (masked)
                {
                    var loadMask = (Vector512.GreaterThanOrEqual(lanes, Vector512.Create(lo)) &
                                    Vector512.LessThan(lanes, Vector512.Create(hi))).AsSingle();
                    for (int c = 0; c < channels; c++)
                    {
                        float* src = image + c * plane + iw0;
                        for (int r = 0; r < kh; r++, dst += kw)
                        {
                            int ih = ih0 + r;
                            var v = (uint)ih < (uint)h
                                ? Avx512F.MaskLoad(src + (long)ih * w, loadMask, Vector512<float>.Zero)
                                : Vector512<float>.Zero;
                            Avx512F.MaskStore(dst, storeMask, v);
                        }
                    }
                    continue;
                }
                for (int c = 0; c < channels; c++)
                {
                    float* src = image + c * plane;
                    for (int r = 0; r < kh; r++, dst += kw)
                    {
                        int ih = ih0 + r;
                        if ((uint)ih >= (uint)h || lo >= hi)
                        {
                            for (int q = 0; q < kw; q++) dst[q] = 0f;
                            continue;
                        }
                        float* s = src + (long)ih * w + iw0;
                        int q2 = 0;
                        for (; q2 < lo; q2++) dst[q2] = 0f;
                        for (; q2 < hi; q2++) dst[q2] = s[q2];
                        for (; q2 < kw; q2++) dst[q2] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>col2im through a transposed copy: t[(c·KH + kh)·KW + kw, oh·OW + ow] = col row (oh, ow).</summary>
    private void Col2ImTransposed(int n, float* t)
    {
        ConvGeometry g = G;
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.Height, w = g.Width, channels = g.Channels;
        int oh1 = g.OutputHeight, ow1 = g.OutputWidth, sh = g.StrideHeight, sw = g.StrideWidth, ph = g.PadHeight, pw = g.PadWidth;
        int spatial = oh1 * ow1, patch = g.PatchSize;
        long plane = (long)h * w;
        float* image = X + n * channels * plane;
        TransposeKernels.Matrix(Col + (long)n * spatial * patch, spatial, patch, t);
        new Span<float>(image, (int)(channels * plane)).Clear();
        for (int c = 0; c < channels; c++)
        {
            float* dplane = image + c * plane;
            for (int r = 0; r < kh; r++)
                for (int q = 0; q < kw; q++)
                {
                    float* src = t + (long)((c * kh + r) * kw + q) * spatial;
                    // Output columns whose input column iw = ow·SW − PW + q is inside the image.
                    int last = w - 1 + pw - q; // iw ≤ w − 1 ⇔ ow·SW ≤ last (floor division, so a negative last means none)
                    int owLo = Math.Max(0, (pw - q + sw - 1) / sw), owHi = last < 0 ? 0 : Math.Min(ow1, last / sw + 1);
                    if (owLo >= owHi) continue;
                    for (int oh = 0; oh < oh1; oh++)
                    {
                        int ih = oh * sh - ph + r;
                        if ((uint)ih >= (uint)h) continue;
                        float* d = dplane + (long)ih * w - pw + q;
                        float* s = src + (long)oh * ow1;
                        if (sw == 1) SimdMath.AddInPlace(d + owLo, s + owLo, owHi - owLo);
                        else for (int ow = owLo; ow < owHi; ow++) d[ow * sw] += s[ow];
                    }
                }
        }
    }

    private void Col2ImImage(int n)
    {
        ConvGeometry g = G;
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.Height, w = g.Width;
        long plane = (long)h * w;
        float* image = X + n * g.Channels * plane;
        new Span<float>(image, (int)(g.Channels * plane)).Clear();
        float* row = Col + (long)n * g.OutputHeight * g.OutputWidth * g.PatchSize;
        for (int oh = 0; oh < g.OutputHeight; oh++)
        {
            int ih0 = oh * g.StrideHeight - g.PadHeight;
            for (int ow = 0; ow < g.OutputWidth; ow++, row += g.PatchSize)
            {
                int iw0 = ow * g.StrideWidth - g.PadWidth;
                int lo = Math.Max(0, -iw0), hi = Math.Min(kw, w - iw0);
                if (lo >= hi) continue;
                float* src = row;
                for (int c = 0; c < g.Channels; c++)
                {
                    float* dst = image + c * plane;
                    for (int r = 0; r < kh; r++, src += kw)
                    {
                        int ih = ih0 + r;
                        if ((uint)ih >= (uint)h) continue;
                        float* d = dst + (long)ih * w + iw0;
                        for (int q = lo; q < hi; q++) d[q] += src[q];
                    }
                }
            }
        }
    }
}
