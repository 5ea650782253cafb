// Bias add and its gradient, for rows ([rows, cols], Affine) and channels ([N, C, S], conv).

// Indices are split with fdiv (common.cl): dCols, dChannels, dSpatial are the fast divisors.
__kernel void add_row_bias(__global float* x, __global const float* bias, const int cols, const uint2 dCols, const int n)
{
    const int i = get_global_id(0);
    if (i < n) x[i] += bias[i - fdiv(i, dCols) * cols];
}

__kernel void add_channel_bias(__global float* x, __global const float* bias, const int channels, const uint2 dChannels,
                               const uint2 dSpatial, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const int t = fdiv(i, dSpatial);
    x[i] += bias[t - fdiv(t, dChannels) * channels];
}

// db[j] = Σ_r dy[r, j]. Work-group (16, REDUCE_WG/16): 16 columns side by side (coalesced
// reads of a row segment), REDUCE_WG/16 lanes striding over the rows, then a tree over the
// lanes. One group per 16 columns, so a long thin dy ([N·OH·OW, F]) still spreads its rows
// over a whole group rather than one work-item per column.
#define SUMROWS_LX 16
#define SUMROWS_LY (REDUCE_WG / SUMROWS_LX)
#if SUMROWS_LY < 1
#error "sum_rows needs REDUCE_WG >= 16"
#endif

__kernel void sum_rows(__global const float* dy, __global float* db, const int rows, const int cols)
{
    __local float scratch[REDUCE_WG];
    const int lx = get_local_id(0);
    const int ly = get_local_id(1);
    const int j = get_group_id(0) * SUMROWS_LX + lx;
    float s = 0.0f;
    if (j < cols)
        for (int r = ly; r < rows; r += SUMROWS_LY)
            s += dy[r * cols + j];
    scratch[ly * SUMROWS_LX + lx] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = SUMROWS_LY / 2; h > 0; h >>= 1)
    {
        if (ly < h) scratch[ly * SUMROWS_LX + lx] += scratch[(ly + h) * SUMROWS_LX + lx];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (ly == 0 && j < cols) db[j] = scratch[lx];
}

// db[c] = Σ_{n,s} dy[n, c, s]: one work-group per channel.
__kernel void sum_channels(__global const float* dy, __global float* db, const int batch, const int channels, const int spatial)
{
    __local float scratch[REDUCE_WG];
    const int c = get_group_id(0);
    const int lid = get_local_id(0);
    float s = 0.0f;
    for (int b = 0; b < batch; b++)
    {
        __global const float* plane = dy + (b * channels + c) * spatial;
        for (int t = lid; t < spatial; t += REDUCE_WG) s += plane[t];
    }
    const float total = group_sum(scratch, s);
    if (lid == 0) db[c] = total;
}
