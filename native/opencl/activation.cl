// Tanh and leaky ReLU (ReLU and sigmoid are in elementwise.cl). The backward kernels read the
// forward output y: tanh' = 1 − y², and with a slope ≥ 0 the output is positive exactly where
// the input is, so x ≤ 0 gets the slope (as the seed's ReLU mask gives x ≤ 0 → 0).

__kernel void tanh_forward(__global const float* x, __global float* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) y[i] = tanh(x[i]);
}

__kernel void tanh_backward(__global const float* dy, __global const float* y, __global float* dx, const int n)
{
    const int i = get_global_id(0);
    if (i < n) { const float t = y[i]; dx[i] = dy[i] * (1.0f - t * t); }
}

__kernel void leaky_relu_forward(__global const float* x, const float slope, __global float* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; y[i] = v > 0.0f ? v : v * slope; }
}

__kernel void leaky_relu_backward(__global const float* dy, __global const float* y, const float slope, __global float* dx, const int n)
{
    const int i = get_global_id(0);
    if (i < n) { const float g = dy[i]; dx[i] = y[i] > 0.0f ? g : g * slope; }
}
