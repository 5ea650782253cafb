// Optimizer updates, elementwise and in place, with g' = grad + weightDecay·param.
// Epsilon 1e-7 as in the seed's AdaGrad, RMSprop and Adam.

#define OPT_EPS 1e-7f

__kernel void sgd_step(__global float* param, __global const float* grad, const float lr, const float wd, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float p = param[i];
    param[i] = p - lr * (grad[i] + wd * p);
}

// v = momentum·v − lr·g'; param += v.
__kernel void momentum_step(__global float* param, __global const float* grad, __global float* velocity,
                            const float lr, const float momentum, const float wd, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float p = param[i];
    const float v = momentum * velocity[i] - lr * (grad[i] + wd * p);
    velocity[i] = v;
    param[i] = p + v;
}

// The seed's Nesterov: v = momentum·v − lr·g'; param += momentum²·v − (1 + momentum)·lr·g'.
__kernel void nesterov_step(__global float* param, __global const float* grad, __global float* velocity,
                            const float lr, const float momentum, const float wd, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float p = param[i];
    const float g = grad[i] + wd * p;
    const float v = momentum * velocity[i] - lr * g;
    velocity[i] = v;
    param[i] = p + momentum * momentum * v - (1.0f + momentum) * lr * g;
}

// h += g'²; param −= lr·g'/(√h + ε).
__kernel void adagrad_step(__global float* param, __global const float* grad, __global float* h,
                           const float lr, const float wd, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float p = param[i];
    const float g = grad[i] + wd * p;
    const float hh = h[i] + g * g;
    h[i] = hh;
    param[i] = p - lr * g / (sqrt(hh) + OPT_EPS);
}

// h = decay·h + (1 − decay)·g'²; param −= lr·g'/(√h + ε).
__kernel void rmsprop_step(__global float* param, __global const float* grad, __global float* h,
                           const float lr, const float decay, const float wd, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float p = param[i];
    const float g = grad[i] + wd * p;
    const float hh = decay * h[i] + (1.0f - decay) * g * g;
    h[i] = hh;
    param[i] = p - lr * g / (sqrt(hh) + OPT_EPS);
}

// m += (1 − β1)(g' − m); v += (1 − β2)(g'² − v); param −= lrT·m/(√v + ε), lrT bias-corrected by the host.
__kernel void adam_step(__global float* param, __global const float* grad, __global float* m, __global float* v,
                        const float lrT, const float beta1, const float beta2, const float wd, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float p = param[i];
    const float g = grad[i] + wd * p;
    float mm = m[i];
    float vv = v[i];
    mm += (1.0f - beta1) * (g - mm);
    vv += (1.0f - beta2) * (g * g - vv);
    m[i] = mm;
    v[i] = vv;
    param[i] = p - lrT * mm / (sqrt(vv) + OPT_EPS);
}
