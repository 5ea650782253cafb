// Batch normalisation with x seen as [Batch, Channels, Spatial]: statistics per channel over
// M = Batch·Spatial values. Training kernels run one work-group of REDUCE_WG per channel and
// do the whole job (statistics, running update, output) in one launch.

// Element t (0 <= t < M) of channel c; dSpatial is spatial's fast divisor (fdiv, common.cl).
inline int bn_index(const int t, const int c, const int channels, const int spatial, const uint2 dSpatial)
{
    const int b = fdiv(t, dSpatial);
    return (b * channels + c) * spatial + (t - b * spatial);
}

// Two passes (mean, then squared deviations) so σ² does not cancel catastrophically.
__kernel void batchnorm_forward_training(__global const float* x, __global const float* gamma, __global const float* beta,
    __global float* runningMean, __global float* runningVar, const float momentum, const float epsilon,
    __global float* y, __global float* saveMean, __global float* saveInvStd,
    const int batch, const int channels, const int spatial, const uint2 dSpatial)
{
    __local float scratch[REDUCE_WG];
    const int c = get_group_id(0);
    const int lid = get_local_id(0);
    const int m = batch * spatial;

    float s = 0.0f;
    for (int t = lid; t < m; t += REDUCE_WG) s += x[bn_index(t, c, channels, spatial, dSpatial)];
    const float mean = group_sum(scratch, s) / (float)m;

    float q = 0.0f;
    for (int t = lid; t < m; t += REDUCE_WG) { const float d = x[bn_index(t, c, channels, spatial, dSpatial)] - mean; q += d * d; }
    const float var = group_sum(scratch, q) / (float)m;
    const float invStd = 1.0f / sqrt(var + epsilon);

    if (lid == 0)
    {
        saveMean[c] = mean;
        saveInvStd[c] = invStd;
        runningMean[c] = momentum * runningMean[c] + (1.0f - momentum) * mean;
        runningVar[c] = momentum * runningVar[c] + (1.0f - momentum) * var;
    }
    const float g = gamma[c];
    const float b = beta[c];
    for (int t = lid; t < m; t += REDUCE_WG)
    {
        const int i = bn_index(t, c, channels, spatial, dSpatial);
        y[i] = g * ((x[i] - mean) * invStd) + b;
    }
}

// Elementwise: y = γ·(x − running mean)/√(running var + ε) + β; y may be x.
__kernel void batchnorm_forward_inference(__global const float* x, __global const float* gamma, __global const float* beta,
    __global const float* runningMean, __global const float* runningVar, const float epsilon,
    __global float* y, const int channels, const uint2 dChannels, const uint2 dSpatial, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const int t = fdiv(i, dSpatial);
    const int c = t - fdiv(t, dChannels) * channels;
    y[i] = gamma[c] * ((x[i] - runningMean[c]) / sqrt(runningVar[c] + epsilon)) + beta[c];
}

// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·invStd/M·(M·dy − dβ − x̂·dγ); dx may be dy (each element
// is read by the work-item that writes it, after both sums are complete).
__kernel void batchnorm_backward(__global const float* dy, __global const float* x, __global const float* gamma,
    __global const float* saveMean, __global const float* saveInvStd,
    __global float* dx, __global float* dgamma, __global float* dbeta,
    const int batch, const int channels, const int spatial, const uint2 dSpatial)
{
    __local float scratch[REDUCE_WG];
    const int c = get_group_id(0);
    const int lid = get_local_id(0);
    const int m = batch * spatial;
    const float mean = saveMean[c];
    const float invStd = saveInvStd[c];

    float sb = 0.0f, sg = 0.0f;
    for (int t = lid; t < m; t += REDUCE_WG)
    {
        const int i = bn_index(t, c, channels, spatial, dSpatial);
        const float g = dy[i];
        sb += g;
        sg += g * ((x[i] - mean) * invStd);
    }
    const float db = group_sum(scratch, sb);
    const float dg = group_sum(scratch, sg);
    if (lid == 0) { dbeta[c] = db; dgamma[c] = dg; }

    const float k = gamma[c] * invStd / (float)m;
    for (int t = lid; t < m; t += REDUCE_WG)
    {
        const int i = bn_index(t, c, channels, spatial, dSpatial);
        const float xhat = (x[i] - mean) * invStd;
        dx[i] = k * ((float)m * dy[i] - db - xhat * dg);
    }
}
