// Row-major C = alpha·op(A)·op(B) + beta·C (C is M×N, op(A) M×K, op(B) K×N).
//
// Transposes are strides: element (i, k) of op(A) is A[i·sam + k·sak] and element (k, j) of
// op(B) is B[k·sbk + j·sbn], so one kernel serves all four cases (the host passes
// sam = lda, sak = 1 for A as stored; sam = 1, sak = lda for Aᵀ).
//
// A work-group owns a TM×TN tile of C; each work-item a WM×WN register block held as WN/VW
// float-VW vectors, so every operand value loaded feeds WM or WN/VW fused multiply-adds.
// Blocking is a set of build options (-D GEMM_TM=…), chosen per device by the host:
//
//  GEMM_SB = 1 (GPUs): the group walks K in TK steps, staging op(B)'s TK×TN slice (and with
//    GEMM_SA op(A)'s TM×TK slice) in local memory, coalesced along whichever axis is
//    contiguous in global memory. Work-item (lx, ly) owns rows i·LY + ly and vector columns
//    j·LX + lx, so neighbours touch neighbouring addresses. Out-of-range elements are staged
//    as zeros.
//  GEMM_SB = 0 (CPU devices such as pocl, where a group runs on one core and local memory
//    is ordinary cached memory): no staging and no barriers. Rows of A and B are read
//    straight through the cache, B with whole-vector loads; work-item ly owns the contiguous
//    rows ly·WM … (so groups of a short M stop early). This path reads B in panels of TN
//    columns: panel p starts at B + p·bPanel, and row k of it at + k·sbk. Row-major B is
//    bPanel = TN, sbk = ldb; the host may instead pack B (gemm_pack_b) panel after panel
//    (bPanel = K·TN, sbk = TN), which it must for a transposed B or one narrower than a
//    vector, and does when many row blocks reuse B, because one contiguous panel streams
//    through the cache where rows ldb apart (4 KiB for N = 1024) fight over the same sets.
//    nb is the number of readable columns; a vector that would cross it is shifted left to
//    end at nb (an overlapping tail) and stores only its lanes at or past its own column.
//
// Split K: group z multiplies K range [z·kChunk, (z+1)·kChunk) and writes C + z·cSlice; the
// host then adds the slices with gemm_reduce_slices. Without a split, kChunk = K.
//
// Any size is correct: K loops stop at K (no padding is multiplied), rows of A past M read
// a valid row and are never stored, columns past N are never stored. beta == 0 never reads
// C, so NaN there is ignored.

#ifndef GEMM_TM
#define GEMM_TM 64
#endif
#ifndef GEMM_TN
#define GEMM_TN 64
#endif
#ifndef GEMM_TK
#define GEMM_TK 16
#endif
#ifndef GEMM_WM
#define GEMM_WM 4
#endif
#ifndef GEMM_WN
#define GEMM_WN 4
#endif
#ifndef GEMM_VW
#define GEMM_VW 4
#endif
#ifndef GEMM_SA
#define GEMM_SA 1
#endif
#ifndef GEMM_SB
#define GEMM_SB 1
#endif

#define GEMM_LX (GEMM_TN / GEMM_WN)
#define GEMM_LY (GEMM_TM / GEMM_WM)
#define GEMM_WG (GEMM_LX * GEMM_LY)
#define GEMM_NV (GEMM_WN / GEMM_VW)

#if (GEMM_TN % GEMM_WN) || (GEMM_TM % GEMM_WM) || (GEMM_WN % GEMM_VW)
#error "GEMM tile options: TN must be a multiple of WN, TM of WM, WN of VW"
#endif
#if !GEMM_SB && GEMM_SA
#error "GEMM_SA needs GEMM_SB: staging A alone is not a supported blocking"
#endif

#define GEMM_CAT_(a, b) a##b
#define GEMM_CAT(a, b) GEMM_CAT_(a, b)
#if GEMM_VW == 1
typedef float gemm_vec;
#define GEMM_LOAD(p) (*(p))
#define GEMM_STORE(v, p) (*(p) = (v))
#else
typedef GEMM_CAT(float, GEMM_VW) gemm_vec;
#define GEMM_LOAD(p) GEMM_CAT(vload, GEMM_VW)(0, (p))
#define GEMM_STORE(v, p) GEMM_CAT(vstore, GEMM_VW)((v), 0, (p))
#endif

// Row of C held in register row i, and the first column of vector j (before any shift).
#if GEMM_SB
#define GEMM_ROW(i) (m0 + (i) * GEMM_LY + ly)
#else
#define GEMM_ROW(i) (m0 + ly * GEMM_WM + (i))
#endif
#define GEMM_COL(j) (n0 + ((j) * GEMM_LX + lx) * GEMM_VW)

__kernel void gemm(const int M, const int N, const int K, const int kChunk, const float alpha,
                   __global const float* restrict A, const int sam, const int sak,
                   __global const float* restrict B, const int sbk, const int sbn, const int nb, const int bPanel,
                   const float beta, __global float* restrict C, const int ldc, const int cSlice)
{
    const int lx = get_local_id(0);
    const int ly = get_local_id(1);
    const int n0 = get_group_id(0) * GEMM_TN;
    const int m0 = get_group_id(1) * GEMM_TM;
    const int kBegin = get_group_id(2) * kChunk;
    const int kEnd = min(K, kBegin + kChunk);
    C += get_group_id(2) * cSlice;

    gemm_vec acc[GEMM_WM][GEMM_NV];
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++)
        #pragma unroll
        for (int j = 0; j < GEMM_NV; j++)
            acc[i][j] = (gemm_vec)(0.0f);

#if GEMM_SB
    // ───────────── staged path (GPU) ─────────────
    const int tid = ly * GEMM_LX + lx;
    __local float Bs[GEMM_TK * GEMM_TN];
#if GEMM_SA
    __local float As[GEMM_TK * GEMM_TM];
#else
    int arow[GEMM_WM];
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++) arow[i] = min(GEMM_ROW(i), M - 1) * sam;
#endif
    const bool fullN = n0 + GEMM_TN <= N;
    for (int k0 = kBegin; k0 < kEnd; k0 += GEMM_TK)
    {
        const int kc = min(GEMM_TK, kEnd - k0);
        // op(B)[k0 .. k0+kc, n0 .. n0+TN] → Bs[kk][j]
        if (sbn == 1 && fullN)
        {
            for (int e = tid; e < kc * (GEMM_TN / GEMM_VW); e += GEMM_WG)
            {
                const int kk = e / (GEMM_TN / GEMM_VW);
                const int v = e - kk * (GEMM_TN / GEMM_VW);
                GEMM_STORE(GEMM_LOAD(B + (k0 + kk) * sbk + n0 + v * GEMM_VW), Bs + kk * GEMM_TN + v * GEMM_VW);
            }
        }
        else if (sbn == 1)
        {
            for (int e = tid; e < kc * GEMM_TN; e += GEMM_WG)
            {
                const int kk = e / GEMM_TN;
                const int j = e - kk * GEMM_TN;
                Bs[kk * GEMM_TN + j] = n0 + j < N ? B[(k0 + kk) * sbk + n0 + j] : 0.0f;
            }
        }
        else
        {
            // Bᵀ stored: contiguous along k, so consecutive work-items take consecutive k
            for (int e = tid; e < GEMM_TN * GEMM_TK; e += GEMM_WG)
            {
                const int j = e / GEMM_TK;
                const int kk = e - j * GEMM_TK;
                if (kk < kc)
                    Bs[kk * GEMM_TN + j] = n0 + j < N ? B[(n0 + j) * sbn + (k0 + kk) * sbk] : 0.0f;
            }
        }
#if GEMM_SA
        // op(A)[m0 .. m0+TM, k0 .. k0+kc] → As[kk][i]
        if (sak == 1)
        {
            for (int e = tid; e < GEMM_TM * GEMM_TK; e += GEMM_WG)
            {
                const int i = e / GEMM_TK;
                const int kk = e - i * GEMM_TK;
                if (kk < kc)
                    As[kk * GEMM_TM + i] = m0 + i < M ? A[(m0 + i) * sam + k0 + kk] : 0.0f;
            }
        }
        else
        {
            for (int e = tid; e < kc * GEMM_TM; e += GEMM_WG)
            {
                const int kk = e / GEMM_TM;
                const int i = e - kk * GEMM_TM;
                As[kk * GEMM_TM + i] = m0 + i < M ? A[(m0 + i) * sam + (k0 + kk) * sak] : 0.0f;
            }
        }
#endif
        barrier(CLK_LOCAL_MEM_FENCE);

        for (int kk = 0; kk < kc; kk++)
        {
            gemm_vec b[GEMM_NV];
            #pragma unroll
            for (int j = 0; j < GEMM_NV; j++)
                b[j] = GEMM_LOAD(Bs + kk * GEMM_TN + (j * GEMM_LX + lx) * GEMM_VW);
            #pragma unroll
            for (int i = 0; i < GEMM_WM; i++)
            {
#if GEMM_SA
                const float a = As[kk * GEMM_TM + i * GEMM_LY + ly];
#else
                const float a = A[arow[i] + (k0 + kk) * sak];
#endif
                #pragma unroll
                for (int j = 0; j < GEMM_NV; j++)
                    acc[i][j] = fma((gemm_vec)(a), b[j], acc[i][j]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    int bcol[GEMM_NV];
    #pragma unroll
    for (int j = 0; j < GEMM_NV; j++) bcol[j] = GEMM_COL(j);
#else
    // ───────────── direct path (CPU) ─────────────
    if (GEMM_ROW(0) >= M) return;   // no barriers on this path, so idle work-items may leave
    __global const float* arow[GEMM_WM];
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++) arow[i] = A + min(GEMM_ROW(i), M - 1) * sam;
    int bcol[GEMM_NV];
    #pragma unroll
    for (int j = 0; j < GEMM_NV; j++) bcol[j] = min(GEMM_COL(j), nb - GEMM_VW);
    __global const float* panel = B + get_group_id(0) * bPanel - n0;   // + k·sbk + column

#define GEMM_DIRECT_LOOP(A_AT)                                                        \
    for (int k = kBegin; k < kEnd; k++)                                               \
    {                                                                                 \
        __global const float* brow = panel + k * sbk;                                 \
        gemm_vec b[GEMM_NV];                                                          \
        _Pragma("unroll") for (int j = 0; j < GEMM_NV; j++)                           \
            b[j] = GEMM_LOAD(brow + bcol[j]);                                         \
        _Pragma("unroll") for (int i = 0; i < GEMM_WM; i++)                           \
        {                                                                             \
            const float a = A_AT;                                                     \
            _Pragma("unroll") for (int j = 0; j < GEMM_NV; j++)                       \
                acc[i][j] = fma((gemm_vec)(a), b[j], acc[i][j]);                      \
        }                                                                             \
    }
    if (sak == 1) { GEMM_DIRECT_LOOP(arow[i][k]) }
    else { GEMM_DIRECT_LOOP(arow[i][k * sak]) }
#undef GEMM_DIRECT_LOOP
#endif

    // ── C = alpha·acc + beta·C inside M×N; a shifted vector stores only its own columns ──
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++)
    {
        const int row = GEMM_ROW(i);
        if (row >= M) break;
        #pragma unroll
        for (int j = 0; j < GEMM_NV; j++)
        {
            const int col = GEMM_COL(j);
            if (col >= N) break;
            __global float* c = C + row * ldc + bcol[j];
            const gemm_vec r = alpha * acc[i][j];
            if (bcol[j] == col && col + GEMM_VW <= N)
            {
                GEMM_STORE(beta != 0.0f ? fma((gemm_vec)(beta), GEMM_LOAD(c), r) : r, c);
            }
            else
            {
                float lanes[GEMM_VW];
                GEMM_STORE(r, lanes);
                for (int v = col - bcol[j]; v < GEMM_VW && bcol[j] + v < N; v++)
                    c[v] = beta != 0.0f ? fma(beta, c[v], lanes[v]) : lanes[v];
            }
        }
    }
}

// op(B) packed for the direct path: panels of TN columns one after another, each K rows of
// TN, zero past column N. Bp[(p·K + k)·TN + c] = op(B)[k, p·TN + c]. Global size: (padded N, K).
__kernel void gemm_pack_b(__global const float* B, const int sbk, const int sbn, const int K, const int N,
                          __global float* Bp, const int paddedN)
{
    const int j = get_global_id(0);
    const int k = get_global_id(1);
    if (j >= paddedN || k >= K) return;
    const int p = j / GEMM_TN;
    Bp[(p * K + k) * GEMM_TN + (j - p * GEMM_TN)] = j < N ? B[k * sbk + j * sbn] : 0.0f;
}

// C = alpha·Σ_s W[s] + beta·C over the split-K slices W[s] (each M·N, contiguous).
__kernel void gemm_reduce_slices(__global const float* W, const int slices, const int mn,
                                 const float alpha, const float beta, __global float* C)
{
    const int e = get_global_id(0);
    if (e >= mn) return;
    float s = 0.0f;
    for (int z = 0; z < slices; z++) s += W[z * mn + e];
    C[e] = beta != 0.0f ? fma(beta, C[e], alpha * s) : alpha * s;
}
