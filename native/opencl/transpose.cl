// dst[b, j, i] = src[b, i, j] for each of the batch's rows×cols matrices. A 16×16 tile goes
// through local memory so both the read and the write are coalesced; the +1 column keeps
// the transposed read free of local-memory bank conflicts.

#define TRANSPOSE_TILE 16

__kernel void batched_transpose(__global const float* src, __global float* dst, const int rows, const int cols)
{
    __local float tile[TRANSPOSE_TILE][TRANSPOSE_TILE + 1];
    const int lx = get_local_id(0);
    const int ly = get_local_id(1);
    const int b = get_global_id(2);
    const int j0 = get_group_id(0) * TRANSPOSE_TILE;
    const int i0 = get_group_id(1) * TRANSPOSE_TILE;
    const long plane = (long)b * rows * cols;

    if (i0 + ly < rows && j0 + lx < cols)
        tile[ly][lx] = src[plane + (long)(i0 + ly) * cols + j0 + lx];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (j0 + ly < cols && i0 + lx < rows)
        dst[plane + (long)(j0 + ly) * rows + i0 + lx] = tile[lx][ly];
}
