using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnNative.Providers.Managed.Kernels;

// The output transform: y = act(scale·Aᵀ M A + bias) for a block's tiles, one output channel and 16 tiles
// per vector. M[e] holds a channel's tiles adjacent, so each of the 2×2 outputs is one vector over
// 16 tiles; interleaving the left and right outputs gives 32 consecutive values of an output row,
// written with (masked) vector stores. 16 tiles may span tile rows and images: the group is cut
// into row segments once, and every channel reuses the cut.
internal sealed unsafe partial class WinogradWork
{
    /// <param name="first">Index of the first tile of the group.</param>
    /// <param name="count">Tiles in the group (at most 16).</param>
    /// <param name="mBase">M[0] of the block: the transformed products.</param>
    /// <param name="ldm">Floats from one output channel's row of M[e] to the next (the block's tile capacity).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformOutput(int first, int count, float* mBase, int ldm)
    {
        var g = G;
        int tw = _tilesWide, perImage = tw * _tilesHigh, oh = g.OutputHeight, ow = g.OutputWidth, outputs = Outputs;
        long plane = (long)oh * ow, component = MComponent, image = outputs * plane;
        // One group's row segments: its first lane, the floats it writes per row, where its top row starts, whether a bottom row exists.
        int* lane = stackalloc int[16], width = stackalloc int[16];
        long* at = stackalloc long[16];
        bool* below = stackalloc bool[16];
        var evenLanes = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var oddLanes = evenLanes + Vector512.Create(8);
        for (int j0 = 0; j0 < count; j0 += 16)
        {
            int segments = 0;
            for (int j = j0, end = Math.Min(j0 + 16, count); j < end;)
            {
                int tile = first + j, n = tile / perImage, rest = tile - n * perImage, s = rest / tw, u = rest - s * tw;
                int len = Math.Min(end - j, tw - u);
                lane[segments] = j - j0;
                width[segments] = Math.Min(2 * len, ow - 2 * u);
                at[segments] = n * image + 2L * s * ow + 2 * u;
                below[segments] = 2 * s + 1 < oh;
                segments++;
                j += len;
            }
            float* m = mBase + j0;
            for (int o = 0; o < outputs; o++, m += ldm)
            {
                // Aᵀ = [1 1 1 0; 0 1 −1 −1]: first down the 4 rows of M, then along the columns.
                var p0 = Vector512.Load(m + 0 * component) + Vector512.Load(m + 4 * component) + Vector512.Load(m + 8 * component);
                var p1 = Vector512.Load(m + 1 * component) + Vector512.Load(m + 5 * component) + Vector512.Load(m + 9 * component);
                var p2 = Vector512.Load(m + 2 * component) + Vector512.Load(m + 6 * component) + Vector512.Load(m + 10 * component);
                var p3 = Vector512.Load(m + 3 * component) + Vector512.Load(m + 7 * component) + Vector512.Load(m + 11 * component);
                var q0 = Vector512.Load(m + 4 * component) - Vector512.Load(m + 8 * component) - Vector512.Load(m + 12 * component);
                var q1 = Vector512.Load(m + 5 * component) - Vector512.Load(m + 9 * component) - Vector512.Load(m + 13 * component);
                var q2 = Vector512.Load(m + 6 * component) - Vector512.Load(m + 10 * component) - Vector512.Load(m + 14 * component);
                var q3 = Vector512.Load(m + 7 * component) - Vector512.Load(m + 11 * component) - Vector512.Load(m + 15 * component);
                var bias = Bias == null ? Vector512<float>.Zero : Vector512.Create(Bias[o]);
                var scale = Scale == null ? Vector512<float>.One : Vector512.Create(Scale[o]);
                var topLeft = Vector512.FusedMultiplyAdd(p0 + p1 + p2, scale, bias);
                var topRight = Vector512.FusedMultiplyAdd(p1 - p2 - p3, scale, bias);
                var bottomLeft = Vector512.FusedMultiplyAdd(q0 + q1 + q2, scale, bias);
                var bottomRight = Vector512.FusedMultiplyAdd(q1 - q2 - q3, scale, bias);
                if (Relu && Residual == null)
                {
                    topLeft = Vector512.MaxNative(topLeft, Vector512<float>.Zero);
                    topRight = Vector512.MaxNative(topRight, Vector512<float>.Zero);
                    bottomLeft = Vector512.MaxNative(bottomLeft, Vector512<float>.Zero);
                    bottomRight = Vector512.MaxNative(bottomRight, Vector512<float>.Zero);
                }
                // Row values of tiles 0–7 and 8–15: left, right, left, right …
                var top0 = Avx512F.PermuteVar16x32x2(topLeft, evenLanes, topRight);
                var top1 = Avx512F.PermuteVar16x32x2(topLeft, oddLanes, topRight);
                var bottom0 = Avx512F.PermuteVar16x32x2(bottomLeft, evenLanes, bottomRight);
                var bottom1 = Avx512F.PermuteVar16x32x2(bottomLeft, oddLanes, bottomRight);
                float* y = Y + o * plane;
                if (Residual != null)
                {
                    StoreWithResidual(Residual + o * plane, y, ow, segments, lane, width, at, below, top0, top1, bottom0, bottom1);
                    continue;
                }
                for (int k = 0; k < segments; k++)
                {
                    float* dst = y + at[k];
                    int w = width[k];
                    if (lane[k] == 0 && w == 32)
                    {
                        top0.Store(dst); top1.Store(dst + 16);
                        if (below[k]) { bottom0.Store(dst + ow); bottom1.Store(dst + ow + 16); }
                        continue;
                    }
                    // Values 2·lane … 2·lane + w − 1 of the 32 (lo, hi), shifted down to lane 0.
                    var from = Vector512<int>.Indices + Vector512.Create(2 * lane[k]);
                    var upper = from + Vector512.Create(16);
                    var m0 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(w)).AsSingle();
                    var m1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(w - 16)).AsSingle();
                    Avx512F.MaskStore(dst, m0, Avx512F.PermuteVar16x32x2(top0, from, top1));
                    if (w > 16) Avx512F.MaskStore(dst + 16, m1, Avx512F.PermuteVar16x32x2(top0, upper, top1));
                    if (!below[k]) continue;
                    Avx512F.MaskStore(dst + ow, m0, Avx512F.PermuteVar16x32x2(bottom0, from, bottom1));
                    if (w > 16) Avx512F.MaskStore(dst + ow + 16, m1, Avx512F.PermuteVar16x32x2(bottom0, upper, bottom1));
                }
            }
        }
    }

    /// <summary>
    /// The segments' rows as y = act(value + residual): each stored value adds the residual at the
    /// same position first (masked loads at the edges), then the ReLU when <see cref="Relu"/>.
    /// </summary>
    private void StoreWithResidual(float* r, float* y, int ow, int segments, int* lane, int* width, long* at, bool* below,
        Vector512<float> top0, Vector512<float> top1, Vector512<float> bottom0, Vector512<float> bottom1)
    {
        for (int k = 0; k < segments; k++)
        {
            var from = Vector512<int>.Indices + Vector512.Create(2 * lane[k]);
            var upper = from + Vector512.Create(16);
            int w = width[k];
            var m0 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(w)).AsSingle();
            var m1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(w - 16)).AsSingle();
            Put(y + at[k], r + at[k], Avx512F.PermuteVar16x32x2(top0, from, top1), Avx512F.PermuteVar16x32x2(top0, upper, top1), w, m0, m1);
            if (below[k])
                Put(y + at[k] + ow, r + at[k] + ow, Avx512F.PermuteVar16x32x2(bottom0, from, bottom1), Avx512F.PermuteVar16x32x2(bottom0, upper, bottom1), w, m0, m1);
        }
    }

    /// <summary>Up to 32 values of one output row: act(v + residual) where the masks allow.</summary>
    private void Put(float* dst, float* residual, Vector512<float> lo, Vector512<float> hi, int w, Vector512<float> m0, Vector512<float> m1)
    {
        lo += Avx512F.MaskLoad(residual, m0, Vector512<float>.Zero);
        if (Relu) lo = Vector512.MaxNative(lo, Vector512<float>.Zero);
        Avx512F.MaskStore(dst, m0, lo);
        if (w <= 16) return;
        hi += Avx512F.MaskLoad(residual + 16, m1, Vector512<float>.Zero);
        if (Relu) hi = Vector512.MaxNative(hi, Vector512<float>.Zero);
        Avx512F.MaskStore(dst + 16, m1, hi);
    }
}
