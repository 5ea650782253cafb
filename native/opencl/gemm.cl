// Row-major C = alpha·op(A)·op(B) + beta·C (C is M×N, op(A) M×K, op(B) K×N).
//
// Transposes are strides: element (i, k) of op(A) is A[i·sam + k·sak] and element (k, j) of
// op(B) is B[k·sbk + j·sbn], so one kernel serves all four cases (the host passes
// sam = lda, sak = 1 for A as stored, sam = 1, sak = lda for Aᵀ).
//
// Blocking, written for GPUs first: a work-group owns a TM×TN tile of C and walks K in TK
// steps; each step stages the TK×TN slice of op(B) (and, with GEMM_SA, the TM×TK slice of
// op(A)) in local memory, coalesced along whichever axis is contiguous in global memory.
// Each work-item keeps a WM×WN register block of C (WN as WN/VW float-VW vectors), so every
// value read from local memory feeds WM or WN/VW multiply-adds. Work-item (lx, ly) owns rows
// i·LY + ly and vector columns j·LX + lx: neighbouring work-items touch neighbouring
// addresses (coalesced on a GPU, conflict-free in local memory).
//
// On a CPU device (pocl) a work-group runs on one core and local memory is ordinary cached
// memory; the host then picks GEMM_SA = 0 (rows of A are read straight from global memory,
// which the cache already serves well), one column of work-items, a wide VW for the SIMD
// unit and a deep TK so the register block outlives each barrier for many iterations.
//
// Any size is correct: the K loop stops at K (no padding is multiplied), rows of A past M
// are clamped to a valid row and never stored, columns past N are zero-filled in the
// staged tile and never stored. beta == 0 never reads C, so NaN there is ignored.
//
// Tile sizes are build options (-D GEMM_TM=… ); the defaults suit a GPU.

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

#define GEMM_LX (GEMM_TN / GEMM_WN)
#define GEMM_LY (GEMM_TM / GEMM_WM)
#define GEMM_WG (GEMM_LX * GEMM_LY)
#define GEMM_NV (GEMM_WN / GEMM_VW)

#if (GEMM_TN % GEMM_WN) || (GEMM_TM % GEMM_WM) || (GEMM_WN % GEMM_VW)
#error "GEMM tile options: TN must be a multiple of WN, TM of WM, WN of VW"
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

__kernel void gemm(const int M, const int N, const int K, const float alpha,
                   __global const float* restrict A, const int sam, const int sak,
                   __global const float* restrict B, const int sbk, const int sbn,
                   const float beta, __global float* restrict C, const int ldc)
{
    const int lx = get_local_id(0);
    const int ly = get_local_id(1);
    const int tid = ly * GEMM_LX + lx;
    const int n0 = get_group_id(0) * GEMM_TN;
    const int m0 = get_group_id(1) * GEMM_TM;

    __local float Bs[GEMM_TK * GEMM_TN];
#if GEMM_SA
    __local float As[GEMM_TK * GEMM_TM];
#else
    // Offsets of this work-item's rows of A; rows past M read row M−1 and are never stored.
    int arow[GEMM_WM];
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++)
        arow[i] = min(m0 + i * GEMM_LY + ly, M - 1) * sam;
#endif

    gemm_vec acc[GEMM_WM][GEMM_NV];
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++)
        #pragma unroll
        for (int j = 0; j < GEMM_NV; j++)
            acc[i][j] = (gemm_vec)(0.0f);

    const bool fullN = n0 + GEMM_TN <= N;
    for (int k0 = 0; k0 < K; k0 += GEMM_TK)
    {
        const int kc = min(GEMM_TK, K - k0);

        // ── stage op(B)[k0 .. k0+kc, n0 .. n0+TN] into Bs[kk][j] ──
        if (sbn == 1 && fullN)
        {
            // rows of B contiguous and the tile inside N: whole vectors
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
        // ── stage op(A)[m0 .. m0+TM, k0 .. k0+kc] into As[kk][i] ──
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

        // ── multiply the staged slice into the register block ──
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

    // ── C = alpha·acc + beta·C, only inside M×N ──
    #pragma unroll
    for (int i = 0; i < GEMM_WM; i++)
    {
        const int row = m0 + i * GEMM_LY + ly;
        if (row >= M) break;
        #pragma unroll
        for (int j = 0; j < GEMM_NV; j++)
        {
            const int col = n0 + (j * GEMM_LX + lx) * GEMM_VW;
            if (col >= N) break;
            __global float* c = C + row * ldc + col;
            gemm_vec r = alpha * acc[i][j];
            if (col + GEMM_VW <= N)
            {
                if (beta != 0.0f) r = mad((gemm_vec)(beta), GEMM_LOAD(c), r);
                GEMM_STORE(r, c);
            }
            else
            {
                float lanes[GEMM_VW];
                GEMM_STORE(r, lanes);
                for (int v = 0; col + v < N; v++)
                    c[v] = beta != 0.0f ? mad(beta, c[v], lanes[v]) : lanes[v];
            }
        }
    }
}
