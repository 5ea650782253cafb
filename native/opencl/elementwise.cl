// Elementwise arithmetic and activations: one work-item per element, n elements. The output
// may be any input (each work-item reads its element before writing it).

__kernel void add(__global const float* a, __global const float* b, __global float* c, const int n)
{
    const int i = get_global_id(0);
    if (i < n) c[i] = a[i] + b[i];
}

__kernel void multiply(__global const float* a, __global const float* b, __global float* c, const int n)
{
    const int i = get_global_id(0);
    if (i < n) c[i] = a[i] * b[i];
}

__kernel void scale(__global const float* x, const float alpha, __global float* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) y[i] = alpha * x[i];
}

__kernel void axpy(const float alpha, __global const float* x, __global float* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) y[i] += alpha * x[i];
}

__kernel void relu_forward(__global const float* x, __global float* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) { const float v = x[i]; y[i] = v > 0.0f ? v : 0.0f; }
}

// The seed's mask (x <= 0 → 0), read from the forward output y.
__kernel void relu_backward(__global const float* dy, __global const float* y, __global float* dx, const int n)
{
    const int i = get_global_id(0);
    if (i < n) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

__kernel void sigmoid_forward(__global const float* x, __global float* y, const int n)
{
    const int i = get_global_id(0);
    if (i < n) y[i] = 1.0f / (1.0f + exp(-x[i]));
}

__kernel void sigmoid_backward(__global const float* dy, __global const float* y, __global float* dx, const int n)
{
    const int i = get_global_id(0);
    if (i < n) { const float s = y[i]; dx[i] = dy[i] * (1.0f - s) * s; }
}
