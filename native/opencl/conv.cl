// im2col and its adjoint. col is [N·OH·OW, C·KH·KW]: row (n·OH + oh)·OW + ow, column
// (c·KH + kh)·KW + kw holds x[n, c, oh·SH − PH + kh, ow·SW − PW + kw], 0 in the padding
// (the layout is defined on IComputeProvider.Im2Col).
//
// The geometry travels as int arguments, then the fast divisors (see fdiv in common.cl) of
// the sizes the kernels divide by: both kernels take the same list, in this order.

#define CONV_GEOMETRY const int N, const int C, const int H, const int W, const int KH, const int KW, \
                      const int SH, const int SW, const int PH, const int PW, const int OH, const int OW, \
                      const uint2 dP, const uint2 dOW, const uint2 dOH, const uint2 dKW, const uint2 dKH, \
                      const uint2 dW, const uint2 dH, const uint2 dC, const uint2 dSH, const uint2 dSW

// One work-item per col element, in col's memory order (coalesced writes).
__kernel void im2col(__global const float* x, __global float* col, CONV_GEOMETRY)
{
    const int patch = C * KH * KW;
    const int e = get_global_id(0);
    if (e >= N * OH * OW * patch) return;

    const int row = fdiv(e, dP);
    const int p = e - row * patch;
    const int t = fdiv(row, dOW);
    const int ow = row - t * OW;
    const int n = fdiv(t, dOH);
    const int oh = t - n * OH;
    const int q = fdiv(p, dKW);
    const int kw = p - q * KW;
    const int c = fdiv(q, dKH);
    const int kh = q - c * KH;

    const int h = oh * SH - PH + kh;
    const int w = ow * SW - PW + kw;
    col[e] = (h >= 0 && h < H && w >= 0 && w < W) ? x[((n * C + c) * H + h) * W + w] : 0.0f;
}

// First output position (along one axis) whose window, start o·stride − pad, covers p:
// o·stride >= p + pad − (window − 1), i.e. o >= ⌊(p + pad − window)/stride⌋ + 1 when that
// is non-negative. The last is ⌊(p + pad)/stride⌋.
inline int window_first(const int t, const uint2 dStride) { return t < 0 ? 0 : fdiv(t, dStride) + 1; }

// Gather form of col2im: one work-item per input element sums every col entry copied from
// it, so no two work-items write the same address and no atomics are needed.
__kernel void col2im(__global const float* col, __global float* dx, CONV_GEOMETRY)
{
    const int e = get_global_id(0);
    if (e >= N * C * H * W) return;

    const int t1 = fdiv(e, dW);
    const int w = e - t1 * W;
    const int t2 = fdiv(t1, dH);
    const int h = t1 - t2 * H;
    const int n = fdiv(t2, dC);
    const int c = t2 - n * C;
    const int patch = C * KH * KW;

    const int ohEnd = min(OH - 1, fdiv(h + PH, dSH));
    const int owEnd = min(OW - 1, fdiv(w + PW, dSW));
    const int owFirst = window_first(w + PW - KW, dSW);
    float s = 0.0f;
    for (int oh = window_first(h + PH - KH, dSH); oh <= ohEnd; oh++)
    {
        const int kh = h + PH - oh * SH;
        __global const float* rowBase = col + (n * OH + oh) * OW * patch + (c * KH + kh) * KW;
        for (int ow = owFirst; ow <= owEnd; ow++)
            s += rowBase[ow * patch + (w + PW - ow * SW)];
    }
    dx[e] = s;
}

// Direct convolution (no im2col matrix), for IComputeProvider.ConvolutionForward: one
// work-item per output element y[n, f, oh, ow], in y's memory order. F follows the geometry.
__kernel void conv_forward_direct(__global const float* x, __global const float* wt, __global const float* bias,
                                  __global float* y, CONV_GEOMETRY, const int F)
{
    const int e = get_global_id(0);
    if (e >= N * F * OH * OW) return;
    const int t1 = fdiv(e, dOW);
    const int ow = e - t1 * OW;
    const int t2 = fdiv(t1, dOH);
    const int oh = t1 - t2 * OH;
    const int n = t2 / F;
    const int f = t2 - n * F;
    __global const float* wf = wt + f * C * KH * KW;
    float s = bias[f];
    for (int c = 0; c < C; c++)
        for (int kh = 0; kh < KH; kh++)
        {
            const int h = oh * SH - PH + kh;
            if (h < 0 || h >= H) continue;
            for (int kw = 0; kw < KW; kw++)
            {
                const int w = ow * SW - PW + kw;
                if (w >= 0 && w < W) s += wf[(c * KH + kh) * KW + kw] * x[((n * C + c) * H + h) * W + w];
            }
        }
    y[e] = s;
}

// Its gradients, for IComputeProvider.ConvolutionWeightGradient: one work-item per weight
// (f, column) summing over every output position, plus one per filter (column = patch) for
// the bias. Each work-item owns its output, so there are no atomics; the sums are long
// (N·OH·OW terms) but this path is only taken when a caller asks for it.
__kernel void conv_weight_gradient_direct(__global const float* dy, __global const float* x,
                                          __global float* dwt, __global float* dbias, CONV_GEOMETRY, const int F)
{
    const int patch = C * KH * KW;
    const int e = get_global_id(0);
    if (e >= F * (patch + 1)) return;
    const int f = e / (patch + 1);
    const int column = e - f * (patch + 1);
    float s = 0.0f;
    if (column == patch)
    {
        for (int n = 0; n < N; n++)
        {
            __global const float* g = dy + (n * F + f) * OH * OW;
            for (int i = 0; i < OH * OW; i++) s += g[i];
        }
        dbias[f] = s;
        return;
    }
    const int q = fdiv(column, dKW);
    const int kw = column - q * KW;
    const int c = fdiv(q, dKH);
    const int kh = q - c * KH;
    for (int n = 0; n < N; n++)
    {
        __global const float* g = dy + (n * F + f) * OH * OW;
        __global const float* xc = x + (n * C + c) * H * W;
        for (int oh = 0; oh < OH; oh++)
        {
            const int h = oh * SH - PH + kh;
            if (h < 0 || h >= H) continue;
            for (int ow = 0; ow < OW; ow++)
            {
                const int w = ow * SW - PW + kw;
                if (w >= 0 && w < W) s += g[oh * OW + ow] * xc[h * W + w];
            }
        }
    }
    dwt[f * patch + column] = s;
}
