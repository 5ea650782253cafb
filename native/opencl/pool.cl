// Max and average pooling over NCHW. Geometry arguments, in this order:
//   N, C, H, W, PKH, PKW (window), SH, SW, PH, PW, OH, OW
// Output size includes the padding, (H + 2P − K)/S + 1; max pooling reads padding as −∞
// (the seed padded with 0 and forgot the padding in the size; both fixed in the contract).

#define POOL_GEOMETRY const int N, const int C, const int H, const int W, const int PKH, const int PKW, \
                      const int SH, const int SW, const int PH, const int PW, const int OH, const int OW

// One work-item per output. argmax = kh·PKW + kw of the first maximum in window order.
__kernel void maxpool_forward(__global const float* x, __global float* y, __global float* argmax, POOL_GEOMETRY)
{
    const int total = N * C * OH * OW;
    const int e = get_global_id(0);
    if (e >= total) return;
    const int ow = e % OW;
    const int oh = (e / OW) % OH;
    const int nc = e / (OW * OH);
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

// Gather form: one work-item per input element sums dy over the windows whose argmax is it.
// Window o (along one axis) contains position p when 0 <= p + pad − o·stride < window, so o
// runs from pool_first(p + pad − window, stride) to (p + pad)/stride.
inline int pool_first(const int t, const int stride) { return t < 0 ? 0 : t / stride + 1; }

__kernel void maxpool_backward(__global const float* dy, __global const float* argmax, __global float* dx, POOL_GEOMETRY)
{
    const int total = N * C * H * W;
    const int e = get_global_id(0);
    if (e >= total) return;
    const int w = e % W;
    const int h = (e / W) % H;
    const int nc = e / (W * H);
    const int base = nc * OH * OW;
    const int ohEnd = min(OH - 1, (h + PH) / SH);
    const int owEnd = min(OW - 1, (w + PW) / SW);

    float s = 0.0f;
    for (int oh = pool_first(h + PH - PKH, SH); oh <= ohEnd; oh++)
    {
        const int kh = h + PH - oh * SH;
        for (int ow = pool_first(w + PW - PKW, SW); ow <= owEnd; ow++)
        {
            const int o = base + oh * OW + ow;
            if ((int)argmax[o] == kh * PKW + (w + PW - ow * SW)) s += dy[o];
        }
    }
    dx[e] = s;
}

// y = window sum / (PKH·PKW), padding counted as zeros.
__kernel void avgpool_forward(__global const float* x, __global float* y, POOL_GEOMETRY)
{
    const int total = N * C * OH * OW;
    const int e = get_global_id(0);
    if (e >= total) return;
    const int ow = e % OW;
    const int oh = (e / OW) % OH;
    const int nc = e / (OW * OH);
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

// Gather form: each input element sums dy/(PKH·PKW) over the windows containing it.
__kernel void avgpool_backward(__global const float* dy, __global float* dx, POOL_GEOMETRY)
{
    const int total = N * C * H * W;
    const int e = get_global_id(0);
    if (e >= total) return;
    const int w = e % W;
    const int h = (e / W) % H;
    const int nc = e / (W * H);
    const int base = nc * OH * OW;
    const int ohEnd = min(OH - 1, (h + PH) / SH);
    const int owEnd = min(OW - 1, (w + PW) / SW);

    float s = 0.0f;
    for (int oh = pool_first(h + PH - PKH, SH); oh <= ohEnd; oh++)
        for (int ow = pool_first(w + PW - PKW, SW); ow <= owEnd; ow++)
            s += dy[base + oh * OW + ow];
    dx[e] = s / (float)(PKH * PKW);
}
