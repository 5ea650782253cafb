// dst[b, j, i] = src[b, i, j] for each of the batch's rows×cols matrices.

// GPU form: a 16×16 tile goes through local memory so both the read and the write are
// coalesced; the +1 column keeps the transposed read free of local-memory bank conflicts.
// Launch: global (cols, rows, batch) rounded up to 16, local (16, 16, 1).
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

// CPU form: no local memory and no barrier (on a CPU device a barrier splits the kernel
// into loops over the group and local memory is only more cache traffic). Work-item
// (i, j, b) writes dst[b, j, i]: consecutive work-items store consecutive floats, which the
// compiler turns into one vector store fed by a strided gather that the cache absorbs.
// Launch: global (rows, cols, batch), any local size along rows.
__kernel void batched_transpose_direct(__global const float* src, __global float* dst, const int rows, const int cols)
{
    const int i = get_global_id(0);
    const int j = get_global_id(1);
    if (i >= rows) return;
    const long plane = (long)get_global_id(2) * rows * cols;
    dst[plane + (long)j * rows + i] = src[plane + (long)i * cols + j];
}
