// Shared helpers, concatenated first into the one program the provider builds.
//
// REDUCE_WG (a build option, a power of two) is the work-group size of every kernel that
// reduces in local memory; the host launches those kernels with exactly that size.

#ifndef REDUCE_WG
#define REDUCE_WG 256
#endif

#if (REDUCE_WG & (REDUCE_WG - 1)) != 0
#error "REDUCE_WG must be a power of two"
#endif

// Sum of v over the work-group (every work-item gets the total). scratch holds REDUCE_WG
// floats; the trailing barrier lets the caller reuse scratch immediately.
inline float group_sum(__local float* scratch, float v)
{
    const int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = REDUCE_WG / 2; s > 0; s >>= 1)
    {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

// Division by a divisor fixed for the launch, without a divide instruction (integer
// division is a long microcoded loop on CPUs, has no SIMD form, and is slow on GPUs too).
// The host passes f = (m, s) computed by FastDivisor.cs, and then n / d = mulhi(n, m) >> s
// exactly for 0 <= n < 2^31 (the round-up method, as in CUTLASS's FastDivmod); m = 0
// encodes d = 1. Kernels pass the plain divisor too when they need the remainder.
// Written as a 64-bit product: compilers turn it into one widening multiply on CPUs and
// into mul.hi on GPUs, where some CPU OpenCL libraries emulate mul_hi in 16-bit pieces.
inline int fdiv(const int n, const uint2 f)
{
    return f.x == 0u ? n : (int)(((ulong)(uint)n * f.x) >> (32u + f.y));
}
