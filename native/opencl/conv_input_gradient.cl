// The input gradient of a convolution without dyT, dcol or col2im, for
// IComputeProvider.ConvolutionInputGradient: the gather form of col2im with the GEMM folded in.
// One work-item per dx[n, c, h, w] sums dy[n, f, oh, ow] · w[f, c, kh, kw] over the filters and
// the output positions whose window covers (h, w), so no two work-items write one address.
// Uses CONV_GEOMETRY and window_first from conv.cl (files are concatenated in name order).
__kernel void conv_input_gradient_direct(__global const float* dy, __global const float* wt,
                                         __global float* dx, CONV_GEOMETRY, const int F)
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

    const int ohFirst = window_first(h + PH - KH, dSH);
    const int ohEnd = min(OH - 1, fdiv(h + PH, dSH));
    const int owFirst = window_first(w + PW - KW, dSW);
    const int owEnd = min(OW - 1, fdiv(w + PW, dSW));
    float s = 0.0f;
    for (int f = 0; f < F; f++)
    {
        __global const float* g = dy + (n * F + f) * OH * OW;
        __global const float* wf = wt + f * patch + c * KH * KW;
        for (int oh = ohFirst; oh <= ohEnd; oh++)
        {
            const int kh = h + PH - oh * SH;
            for (int ow = owFirst; ow <= owEnd; ow++)
                s += g[oh * OW + ow] * wf[kh * KW + (w + PW - ow * SW)];
        }
    }
    dx[e] = s;
}
