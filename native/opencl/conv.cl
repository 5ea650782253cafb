// im2col and its adjoint. col is [N·OH·OW, C·KH·KW]: row (n·OH + oh)·OW + ow, column
// (c·KH + kh)·KW + kw holds x[n, c, oh·SH − PH + kh, ow·SW − PW + kw], 0 in the padding
// (the layout is defined on IComputeProvider.Im2Col).
//
// The geometry travels as plain int arguments in this order:
//   N, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW

#define CONV_GEOMETRY const int N, const int C, const int H, const int W, const int KH, const int KW, \
                      const int SH, const int SW, const int PH, const int PW, const int OH, const int OW

// One work-item per col element, in col's memory order (coalesced writes).
__kernel void im2col(__global const float* x, __global float* col, CONV_GEOMETRY)
{
    const int patch = C * KH * KW;
    const int total = N * OH * OW * patch;
    const int e = get_global_id(0);
    if (e >= total) return;

    const int row = e / patch;
    const int p = e - row * patch;
    const int ow = row % OW;
    const int oh = (row / OW) % OH;
    const int n = row / (OW * OH);
    const int kw = p % KW;
    const int kh = (p / KW) % KH;
    const int c = p / (KW * KH);

    const int h = oh * SH - PH + kh;
    const int w = ow * SW - PW + kw;
    col[e] = (h >= 0 && h < H && w >= 0 && w < W) ? x[((n * C + c) * H + h) * W + w] : 0.0f;
}

// Gather form of col2im: one work-item per input element sums every col entry copied from
// it, so no two work-items write the same address and no atomics are needed. Output rows
// that saw (h, w) satisfy oh·SH = h + PH − kh for some kh in [0, KH).
__kernel void col2im(__global const float* col, __global float* dx, CONV_GEOMETRY)
{
    const int total = N * C * H * W;
    const int e = get_global_id(0);
    if (e >= total) return;

    const int w = e % W;
    const int h = (e / W) % H;
    const int c = (e / (W * H)) % C;
    const int n = e / (W * H * C);
    const int patch = C * KH * KW;

    float s = 0.0f;
    for (int kh = 0; kh < KH; kh++)
    {
        const int th = h + PH - kh;
        if (th < 0 || th % SH != 0) continue;
        const int oh = th / SH;
        if (oh >= OH) continue;
        for (int kw = 0; kw < KW; kw++)
        {
            const int tw = w + PW - kw;
            if (tw < 0 || tw % SW != 0) continue;
            const int ow = tw / SW;
            if (ow >= OW) continue;
            s += col[((n * OH + oh) * OW + ow) * patch + (c * KH + kh) * KW + kw];
        }
    }
    dx[e] = s;
}
