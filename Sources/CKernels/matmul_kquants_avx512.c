// AVX-512 (F/BW/VL) row kernels for the Q4_K and Q6_K weights (x86-64), chosen at run time;
// the other decoded types run their AVX2 kernels on this path (matmul_decoded_avx2.c).
//
// Per super-block of 256 values and row, the weights are unpacked once into eight 512-bit
// registers of 32 int16 values — one per 32-value activation block — with their integer sub-block
// scales already multiplied in (Q4_K: sc·q ≤ 63·15; Q6_K: scales[i]·(q − 32), |·| ≤ 128·32), and
// the f16 super-block scale d is converted once. Then each position costs, per activation block,
// one vpmaddwd against the int16 activations (16 int32 lanes, each the exact sum of two products
// < 2^28), one conversion and one FMA by the block's activation scale d_x (broadcast from memory),
// and per super-block one FMA by d (and for Q4_K one FMA of −dmin·m against the block sums s_x).
// Every (t, r) is the same sequence of operations in super-block order whatever the tile shape,
// reduced by a fixed-order horizontal sum: the result never depends on T, threads or the split.
// Both activation precisions read the int16 activations (as the AVX2 kernels of these types do).
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"
#define SC_AVX512KQ SC_TARGET("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#include "weight_types.h"
#include "tile_plan.h"

/// The 8 scales (bytes 0-7) and 8 minima (bytes 8-15) of a Q4_K super-block, 6 bits each, from
/// its 12 packed bytes (ggml get_scale_min_k4, done four at a time as llama.cpp's kernels do).
static inline void q4k_scales_mins(const uint8_t *packed, uint8_t out[16]) {
    uint32_t u[4];
    memcpy(u, packed, 12);
    const uint32_t m6 = 0x3f3f3f3fu, m4 = 0x0f0f0f0fu, m2 = 0x03030303u;
    u[3] = ((u[2] >> 4) & m4) | (((u[1] >> 6) & m2) << 4);   // m 4..7
    const uint32_t m03 = u[1] & m6;                            // m 0..3
    u[1] = (u[2] & m4) | (((u[0] >> 6) & m2) << 4);            // sc 4..7
    u[2] = m03;
    u[0] &= m6;                                                // sc 0..3
    memcpy(out, u, 16);
}

/// One super-block of a row, unpacked: w[m] = 16 pairs of int16 weights in the qk lane order
/// (pair l: pair m + 8·(l / 8) of block l % 8, sc_xq), sc = the float scale of each int32 lane
/// (d·sc of its block for Q4_K; d·scales of its 16-value sub-block for Q6_K), mn = −dmin·m_k in
/// lanes k < 8 (Q4_K; zero for Q6_K).
typedef struct {
    __m512i w[8];
    __m512 sc;
    __m512 mn;
} kq_super;

/// Word permutes of gather_pairs: entry [p][l] (l < 32; vector m = 2p + l / 16, pair l % 16) is
/// 32·(z_of[b] % 2) + 16·half_of[b] + m + 8·((l / 8) % 2) for block b = l % 8, where block b lies
/// in byte register z_of[b] at bytes 32·half_of[b]…+31 (words 16·half_of[b]…+15).
/// Q4_K registers hold blocks 0,2 | 1,3 | 4,6 | 5,7; Q6_K registers 0,1 | 2,3 | 4,5 | 6,7.
static const int16_t q4k_pairs[4][32] __attribute__((aligned(64))) = {
    {0, 32, 16, 48, 0, 32, 16, 48, 8, 40, 24, 56, 8, 40, 24, 56, 1, 33, 17, 49, 1, 33, 17, 49, 9, 41, 25, 57, 9, 41, 25, 57},
    {2, 34, 18, 50, 2, 34, 18, 50, 10, 42, 26, 58, 10, 42, 26, 58, 3, 35, 19, 51, 3, 35, 19, 51, 11, 43, 27, 59, 11, 43, 27, 59},
    {4, 36, 20, 52, 4, 36, 20, 52, 12, 44, 28, 60, 12, 44, 28, 60, 5, 37, 21, 53, 5, 37, 21, 53, 13, 45, 29, 61, 13, 45, 29, 61},
    {6, 38, 22, 54, 6, 38, 22, 54, 14, 46, 30, 62, 14, 46, 30, 62, 7, 39, 23, 55, 7, 39, 23, 55, 15, 47, 31, 63, 15, 47, 31, 63},
};
static const int16_t q6k_pairs[4][32] __attribute__((aligned(64))) = {
    {0, 16, 32, 48, 0, 16, 32, 48, 8, 24, 40, 56, 8, 24, 40, 56, 1, 17, 33, 49, 1, 17, 33, 49, 9, 25, 41, 57, 9, 25, 41, 57},
    {2, 18, 34, 50, 2, 18, 34, 50, 10, 26, 42, 58, 10, 26, 42, 58, 3, 19, 35, 51, 3, 19, 35, 51, 11, 27, 43, 59, 11, 27, 43, 59},
    {4, 20, 36, 52, 4, 20, 36, 52, 12, 28, 44, 60, 12, 28, 44, 60, 5, 21, 37, 53, 5, 21, 37, 53, 13, 29, 45, 61, 13, 29, 45, 61},
    {6, 22, 38, 54, 6, 22, 38, 54, 14, 30, 46, 62, 14, 30, 46, 62, 7, 23, 39, 55, 7, 23, 39, 55, 15, 31, 47, 63, 15, 31, 47, 63},
};

/// The weight pairs of vectors m = 2p and 2p + 1 (out[0], out[1]) from four registers of bytes
/// that hold the super-block's blocks whole (blocks 0-3 in src[0..1], 4-7 in src[2..3]): words
/// m + 8·(l / 8) of block l % 8 gathered by two word permutes (table `pairs`) and a blend, then
/// widened to int16 (signed or not).
SC_AVX512KQ static inline __attribute__((always_inline)) void
gather_pairs(const __m512i src[4], const int16_t *pairs, int is_signed, __m512i out[2]) {
    const __m512i iv = _mm512_load_si512((const void *)pairs);
    const __m512i v = _mm512_mask_blend_epi16((__mmask32)0xf0f0f0f0u, _mm512_permutex2var_epi16(src[0], iv, src[1]),
                                              _mm512_permutex2var_epi16(src[2], iv, src[3]));
    const __m256i lo = _mm512_castsi512_si256(v), hi = _mm512_extracti64x4_epi64(v, 1);
    out[0] = is_signed ? _mm512_cvtepi8_epi16(lo) : _mm512_cvtepu8_epi16(lo);
    out[1] = is_signed ? _mm512_cvtepi8_epi16(hi) : _mm512_cvtepu8_epi16(hi);
}

SC_AVX512KQ static inline __attribute__((always_inline)) void unpack_q4k(const sc_block_q4_K *blk, kq_super *s) {
    _Alignas(16) uint8_t sm[16];
    q4k_scales_mins(blk->scales, sm);
    const __m256 sc = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)sm)));
    const __m256 m = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(sm + 8))));
    const __m256 dsc = _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(blk->d)), sc);
    s->sc = _mm512_insertf32x8(_mm512_castps256_ps512(dsc), dsc, 1);
    s->mn = _mm512_zextps256_ps512(_mm256_mul_ps(_mm256_set1_ps(-_cvtsh_ss(blk->dmin)), m));
    // qs[32c + i]: value i of block 2c (low nibble) and of block 2c + 1 (high nibble).
    const __m512i q0 = _mm512_loadu_si512((const void *)blk->qs), q1 = _mm512_loadu_si512((const void *)(blk->qs + 64));
    const __m512i n15 = _mm512_set1_epi8(15);
    const __m512i src[4] = {_mm512_and_si512(q0, n15), _mm512_and_si512(_mm512_srli_epi16(q0, 4), n15),
                            _mm512_and_si512(q1, n15), _mm512_and_si512(_mm512_srli_epi16(q1, 4), n15)};
    for (int p = 0; p < 4; p++) gather_pairs(src, q4k_pairs[p], 0, &s->w[2 * p]);   // blocks 0,2 | 1,3 | 4,6 | 5,7
}

SC_AVX512KQ static inline __attribute__((always_inline)) void unpack_q6k(const sc_block_q6_K *blk, kq_super *s) {
    // Lane l takes sub-block 2·(l % 8) + l / 8.
    const __m512i sub_of_lane = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    const __m512 scales = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)blk->scales)));
    s->sc = _mm512_mul_ps(_mm512_set1_ps(_cvtsh_ss(blk->d)), _mm512_permutexvar_ps(sub_of_lane, scales));
    s->mn = _mm512_setzero_ps();
    const __m512i n15 = _mm512_set1_epi8(15), n3 = _mm512_set1_epi8(3), n32 = _mm512_set1_epi8(32);
    __m512i src[4];
    for (int h = 0; h < 2; h++) {
        // Bytes 0..31 of ql: nibbles of blocks 4h (low) and 4h + 2 (high); bytes 32..63: 4h + 1 and 4h + 3.
        const __m512i ql = _mm512_loadu_si512((const void *)(blk->ql + 64 * h));
        const __m256i qh = _mm256_loadu_si256((const __m256i *)(blk->qh + 32 * h));
        // Top bits: block 4h + j takes bits 2j..2j+1 of qh.
        const __m512i qh01 = _mm512_inserti64x4(_mm512_castsi256_si512(qh), _mm256_srli_epi16(qh, 2), 1);
        const __m512i qh23 = _mm512_srli_epi16(qh01, 4);
        src[2 * h] = _mm512_sub_epi8(_mm512_or_si512(_mm512_and_si512(ql, n15), _mm512_slli_epi16(_mm512_and_si512(qh01, n3), 4)), n32);
        src[2 * h + 1] = _mm512_sub_epi8(_mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql, 4), n15),
                                                         _mm512_slli_epi16(_mm512_and_si512(qh23, n3), 4)), n32);
    }
    for (int p = 0; p < 4; p++) gather_pairs(src, q6k_pairs[p], 1, &s->w[2 * p]);   // blocks 0,1 | 2,3 | 4,5 | 6,7
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a job of `type`, SC_TYPE_Q4_K or SC_TYPE_Q6_K.
SC_AVX512KQ static inline __attribute__((always_inline)) void
kq_tile512(int type, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const sc_matmul_job *job = a->job;
    const int64_t nb_pad = a->xq.nb_pad, cols = job->cols, nsb = cols / SC_QK_K;
    const size_t row_bytes = sc_row_bytes(type, cols), sb_bytes = sc_block_bytes(type);
    const uint8_t *w = (const uint8_t *)job->w + (size_t)r * row_bytes;
    const int16_t *xq = a->xq.qk + t0 * cols;
    const float *xd = a->xq.d + t0 * nb_pad, *xs = a->xq.s + t0 * nb_pad;
    SC_TILE_ACCUMULATORS(__m512, acc);
    for (int64_t sb = 0; sb < nsb; sb++) {
        kq_super s[R];
        for (int i = 0; i < R; i++) {
            const uint8_t *p = w + i * row_bytes + (size_t)sb * sb_bytes;
            if (type == SC_TYPE_Q6_K) unpack_q6k((const sc_block_q6_K *)p, &s[i]);
            else unpack_q4k((const sc_block_q4_K *)p, &s[i]);
        }
        for (int t = 0; t < TT; t++) {
            const int16_t *qx = xq + t * cols + sb * SC_QK_K;
            // Lane l's activation scale: d_x of block l % 8.
            const __m512 dx = _mm512_broadcast_f32x8(_mm256_loadu_ps(xd + t * nb_pad + 8 * sb));
            for (int i = 0; i < R; i++) {
                // Each int32 lane: 16 products of one block, |·| < 16·2^12·2^15 = 2^31.
                __m512i dot = _mm512_dpwssd_epi32(_mm512_setzero_si512(), s[i].w[0], _mm512_loadu_si512((const void *)qx));
                for (int m = 1; m < 8; m++) dot = _mm512_dpwssd_epi32(dot, s[i].w[m], _mm512_loadu_si512((const void *)(qx + 32 * m)));
                acc[i][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(s[i].sc, dx), acc[i][t]);
                if (type == SC_TYPE_Q4_K) acc[i][t] = _mm512_fmadd_ps(s[i].mn, _mm512_zextps256_ps512(_mm256_loadu_ps(xs + t * nb_pad + 8 * sb)), acc[i][t]);
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) job->y[(t0 + t) * job->y_stride + r + i] = hsum16(acc[i][t]);
}

// Rows per tile: QUANT_R, 2 for groups of ≤ 2 positions (16 weight registers + 4 accumulators), else 1.
SC_DEFINE_ROWS(SC_AVX512KQ, sc_rows_avx512_q4_k, kq_tile512, SC_TYPE_Q4_K, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX512KQ, sc_rows_avx512_q6_k, kq_tile512, SC_TYPE_Q6_K, QUANT_R, 8)
#endif
