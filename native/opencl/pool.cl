// Max and average pooling over NCHW. Geometry arguments, in this order, then the fast
// divisors (fdiv in common.cl) of the sizes the kernels divide by:
//   N, C, H, W, PKH, PKW (window), SH, SW, PH, PW, OH, OW
// Output size includes the padding, (H + 2P − K)/S + 1; max pooling reads padding as −∞
// (the seed padded with 0 and forgot the padding in the size; both fixed in the contract).
// Backward passes gather: one work-item per input element sums over the windows holding it
// (window_first in conv.cl gives the first), so no two work-items write the same address.

#define POOL_GEOMETRY const int N, const int C, const int H, const int W, const int PKH, const int PKW, \
                      const int SH, const int SW, const int PH, const int PW, const int OH, const int OW, \
                      const uint2 dOW, const uint2 dOH, const uint2 dW, const uint2 dH, const uint2 dSH, const uint2 dSW

// One work-item per output. argmax = kh·PKW + kw of the first maximum in window order.
__kernel void maxpool_forward(__global const float* x, __global float* y, __global float* argmax, POOL_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * OH * OW) return;
    const int t = fdiv(e, dOW);
    const int ow = e - t * OW;
    const int nc = fdiv(t, dOH);
    const int oh = t - nc * OH;
    __global const float* plane = x + nc * H * W;

    float best = -INFINITY;
    int where = -1;
    for (int kh = 0; kh < PKH; kh++)
    {
        const int h = oh * SH - PH + kh;
        if (h < 0 || h >= H) continue;
        for (int kw = 0; kw < PKW; kw++)
        {
            const int w = ow * SW - PW + kw;
            if (w < 0 || w >= W) continue;
            const float v = plane[h * W + w];
            if (where < 0 || v > best) { best = v; where = kh * PKW + kw; }
        }
    }
    y[e] = best;
    argmax[e] = (float)where;
}

// The same for windows of at most TAPS×TAPS (2×2 and 3×3 are nearly every network's): the
// window loops are unrolled, each tap switched off past PKH×PKW or in the padding, so the
// kernel is straight-line code that a CPU compiler vectorises across work-items and a GPU
// runs without loop overhead. Same arguments and results as maxpool_forward; instantiated
// for TAPS = 2 and 3 (the host picks the smallest that covers the window).
#define MAXPOOL_FORWARD_UNROLLED(NAME, TAPS)                                                        \
__kernel void NAME(__global const float* x, __global float* y, __global float* argmax, POOL_GEOMETRY) \
{                                                                                                   \
    const int e = get_global_id(0);                                                                 \
    if (e >= N * C * OH * OW) return;                                                               \
    const int t = fdiv(e, dOW);                                                                     \
    const int ow = e - t * OW;                                                                      \
    const int nc = fdiv(t, dOH);                                                                    \
    const int oh = t - nc * OH;                                                                     \
    __global const float* plane = x + nc * H * W;                                                   \
    const int h0 = oh * SH - PH;                                                                    \
    const int w0 = ow * SW - PW;                                                                    \
    float best = -INFINITY;                                                                         \
    int where = -1;                                                                                 \
    _Pragma("unroll") for (int kh = 0; kh < TAPS; kh++)                                             \
    {                                                                                               \
        const int h = h0 + kh;                                                                      \
        const bool rowIn = kh < PKH && h >= 0 && h < H;                                             \
        _Pragma("unroll") for (int kw = 0; kw < TAPS; kw++)                                         \
        {                                                                                           \
            const int w = w0 + kw;                                                                  \
            const bool in = rowIn && kw < PKW && w >= 0 && w < W;                                   \
            const float v = plane[in ? h * W + w : 0];                                              \
            const bool better = in && (where < 0 || v > best);                                      \
            best = better ? v : best;                                                               \
            where = better ? kh * PKW + kw : where;                                                 \
        }                                                                                           \
    }                                                                                               \
    y[e] = best;                                                                                    \
    argmax[e] = (float)where;                                                                       \
}

MAXPOOL_FORWARD_UNROLLED(maxpool_forward_2, 2)
MAXPOOL_FORWARD_UNROLLED(maxpool_forward_3, 3)

// dx[e] = Σ dy over the windows whose argmax is e.
__kernel void maxpool_backward(__global const float* dy, __global const float* argmax, __global float* dx, POOL_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * H * W) return;
    const int t = fdiv(e, dW);
    const int w = e - t * W;
    const int nc = fdiv(t, dH);
    const int h = t - nc * H;
    const int base = nc * OH * OW;
    const int ohEnd = min(OH - 1, fdiv(h + PH, dSH));
    const int owEnd = min(OW - 1, fdiv(w + PW, dSW));
    const int owFirst = window_first(w + PW - PKW, dSW);

    float s = 0.0f;
    for (int oh = window_first(h + PH - PKH, dSH); oh <= ohEnd; oh++)
    {
        const int kh = h + PH - oh * SH;
        for (int ow = owFirst; ow <= owEnd; ow++)
        {
            const int o = base + oh * OW + ow;
            if ((int)argmax[o] == kh * PKW + (w + PW - ow * SW)) s += dy[o];
        }
    }
    dx[e] = s;
}

// The same when windows do not overlap (SH >= PKH, SW >= PKW: the usual 2×2, stride 2):
// each input lies in at most one window, found by one division per axis, so the kernel
// is straight-line code that a CPU compiler vectorises across work-items.
__kernel void maxpool_backward_disjoint(__global const float* dy, __global const float* argmax, __global float* dx, POOL_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * H * W) return;
    const int t = fdiv(e, dW);
    const int w = e - t * W;
    const int nc = fdiv(t, dH);
    const int h = t - nc * H;
    const int oh = fdiv(h + PH, dSH);
    const int ow = fdiv(w + PW, dSW);
    const int kh = h + PH - oh * SH;
    const int kw = w + PW - ow * SW;
    const bool inside = kh < PKH && kw < PKW && oh < OH && ow < OW;
    const int o = inside ? (nc * OH + oh) * OW + ow : 0;
    const float g = dy[o];
    dx[e] = inside && (int)argmax[o] == kh * PKW + kw ? g : 0.0f;
}

// y = window sum / (PKH·PKW), padding counted as zeros.
__kernel void avgpool_forward(__global const float* x, __global float* y, POOL_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * OH * OW) return;
    const int t = fdiv(e, dOW);
    const int ow = e - t * OW;
    const int nc = fdiv(t, dOH);
    const int oh = t - nc * OH;
    __global const float* plane = x + nc * H * W;

    float s = 0.0f;
    for (int kh = 0; kh < PKH; kh++)
    {
        const int h = oh * SH - PH + kh;
        if (h < 0 || h >= H) continue;
        for (int kw = 0; kw < PKW; kw++)
        {
            const int w = ow * SW - PW + kw;
            if (w >= 0 && w < W) s += plane[h * W + w];
        }
    }
    y[e] = s / (float)(PKH * PKW);
}

// avgpool_forward for windows of at most TAPS×TAPS, unrolled like MAXPOOL_FORWARD_UNROLLED.
#define AVGPOOL_FORWARD_UNROLLED(NAME, TAPS)                                                        \
__kernel void NAME(__global const float* x, __global float* y, POOL_GEOMETRY)                       \
{                                                                                                   \
    const int e = get_global_id(0);                                                                 \
    if (e >= N * C * OH * OW) return;                                                               \
    const int t = fdiv(e, dOW);                                                                     \
    const int ow = e - t * OW;                                                                      \
    const int nc = fdiv(t, dOH);                                                                    \
    const int oh = t - nc * OH;                                                                     \
    __global const float* plane = x + nc * H * W;                                                   \
    const int h0 = oh * SH - PH;                                                                    \
    const int w0 = ow * SW - PW;                                                                    \
    float s = 0.0f;                                                                                 \
    _Pragma("unroll") for (int kh = 0; kh < TAPS; kh++)                                             \
    {                                                                                               \
        const int h = h0 + kh;                                                                      \
        const bool rowIn = kh < PKH && h >= 0 && h < H;                                             \
        _Pragma("unroll") for (int kw = 0; kw < TAPS; kw++)                                         \
        {                                                                                           \
            const int w = w0 + kw;                                                                  \
            const bool in = rowIn && kw < PKW && w >= 0 && w < W;                                   \
            const float v = plane[in ? h * W + w : 0];                                              \
            s += in ? v : 0.0f;                                                                     \
        }                                                                                           \
    }                                                                                               \
    y[e] = s / (float)(PKH * PKW);                                                                  \
}

AVGPOOL_FORWARD_UNROLLED(avgpool_forward_2, 2)
AVGPOOL_FORWARD_UNROLLED(avgpool_forward_3, 3)

// Disjoint windows (SH >= PKH, SW >= PKW): at most one window per input, no loops.
__kernel void avgpool_backward_disjoint(__global const float* dy, __global float* dx, POOL_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * H * W) return;
    const int t = fdiv(e, dW);
    const int w = e - t * W;
    const int nc = fdiv(t, dH);
    const int h = t - nc * H;
    const int oh = fdiv(h + PH, dSH);
    const int ow = fdiv(w + PW, dSW);
    const bool inside = h + PH - oh * SH < PKH && w + PW - ow * SW < PKW && oh < OH && ow < OW;
    const float g = dy[inside ? (nc * OH + oh) * OW + ow : 0];
    dx[e] = inside ? g / (float)(PKH * PKW) : 0.0f;
}

// dx[e] = Σ dy/(PKH·PKW) over the windows containing e.
__kernel void avgpool_backward(__global const float* dy, __global float* dx, POOL_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * H * W) return;
    const int t = fdiv(e, dW);
    const int w = e - t * W;
    const int nc = fdiv(t, dH);
    const int h = t - nc * H;
    const int base = nc * OH * OW;
    const int ohEnd = min(OH - 1, fdiv(h + PH, dSH));
    const int owEnd = min(OW - 1, fdiv(w + PW, dSW));
    const int owFirst = window_first(w + PW - PKW, dSW);

    float s = 0.0f;
    for (int oh = window_first(h + PH - PKH, dSH); oh <= ohEnd; oh++)
        for (int ow = owFirst; ow <= owEnd; ow++)
            s += dy[base + oh * OW + ow];
    dx[e] = s / (float)(PKH * PKW);
}
