// AVX2 + FMA + F16C row kernels of the decoded types (Q5_0, Q5_1, IQ4_NL and the K-quants;
// decoded_types.h) (x86-64), chosen at run time. Computed directly on the stored blocks against
// the int16 activations (sc_xq), on the shared tile plan (tile_plan.h: groups of ≤ 8 positions,
// 2-row tiles for groups of ≤ 2).
//
// Blocks are taken in groups of 8 activation blocks of 32 values: one K-quant super-block, or 8
// consecutive Q5_0/Q5_1/IQ4_NL blocks. Per group and row, the float scale of each of the 8 blocks
// (d for type-0 blocks, d·sc for Q4_K/Q5_K sub-blocks) is one vector, multiplied by the 8
// activation scales d_x at once; minima that apply to a whole 32-value block (Q5_1 m, Q4_K/Q5_K
// −dmin·m) are one FMA with the 8 activation block sums s_x. Then each block's weights are
// unpacked into two vectors of 16 int16 values — for the types with 16-value sub-blocks (Q2_K,
// Q3_K, Q6_K) already multiplied by their integer sub-block scales (|q·sc| ≤ 32·128) — and dotted
// with the activations by two madd (8 int32 lanes of 4 products each, < 2^30), one conversion and
// one FMA per position. Q2_K's 16-value minima take a second such dot product (mins × q_x).
// Every (t, r) has its own accumulator fed in the same order whatever the tile shape.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"
#include "weight_types.h"
#include "tile_plan.h"

/// 16 bytes zero-extended to 16 int16 lanes.
SC_AVX2 static inline __m256i widen16(const uint8_t *p) {
    return _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)p));
}

/// Per-block float scales of a group (dv) and, in ov, the coefficient of the activation block
/// sums (Q5_1 m, Q4_K/Q5_K −dmin·m) or for Q2_K the scale of its minima (−dmin). The 16 integer
/// sub-block scales of Q3_K and Q6_K go to sub. Blocks k ≥ n8 (only for the 32-value types) are not read.
SC_AVX2 static inline __attribute__((always_inline)) void
group_scales(int type, const uint8_t *p, int n8, int16_t *sub, __m256 *dv, __m256 *ov) {
    *ov = _mm256_setzero_ps();
    switch (type) {
    case SC_TYPE_Q5_0:
    case SC_TYPE_Q5_1:
    case SC_TYPE_IQ4_NL: {
        const size_t bb = sc_block_bytes(type);
        uint16_t d[8] = {0}, m[8] = {0};
        for (int k = 0; k < n8; k++) {
            memcpy(&d[k], p + k * bb, 2);
            if (type == SC_TYPE_Q5_1) memcpy(&m[k], p + k * bb + 2, 2);
        }
        *dv = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)d));
        if (type == SC_TYPE_Q5_1) *ov = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)m));
        break;
    }
    case SC_TYPE_Q4_K:
    case SC_TYPE_Q5_K: {
        const sc_block_q4_K *blk = (const sc_block_q4_K *)p;
        int32_t sc[8], mn[8];
        for (int k = 0; k < 8; k++) sc_kq_scale_min(blk->scales, k, &sc[k], &mn[k]);
        *dv = _mm256_mul_ps(_mm256_set1_ps(sc_fp16_to_fp32(blk->d)), _mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)sc)));
        *ov = _mm256_mul_ps(_mm256_set1_ps(-sc_fp16_to_fp32(blk->dmin)), _mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)mn)));
        break;
    }
    case SC_TYPE_Q6_K: {
        const sc_block_q6_K *blk = (const sc_block_q6_K *)p;
        for (int i = 0; i < 16; i++) sub[i] = blk->scales[i];
        *dv = _mm256_set1_ps(sc_fp16_to_fp32(blk->d));
        break;
    }
    case SC_TYPE_Q3_K: {
        const sc_block_q3_K *blk = (const sc_block_q3_K *)p;
        for (int i = 0; i < 16; i++) sub[i] = (int16_t)sc_q3k_scale(blk->scales, i);
        *dv = _mm256_set1_ps(sc_fp16_to_fp32(blk->d));
        break;
    }
    default: {   // Q2_K
        const sc_block_q2_K *blk = (const sc_block_q2_K *)p;
        *dv = _mm256_set1_ps(sc_fp16_to_fp32(blk->d));
        *ov = _mm256_set1_ps(-sc_fp16_to_fp32(blk->dmin));
        break;
    }
    }
}

/// Weights of activation block k of the group at p as int16: values 0..15 in lo, 16..31 in hi
/// (times the sub-block scales for Q2_K/Q3_K/Q6_K); for Q2_K the two 16-value minima in mlo/mhi.
SC_AVX2 static inline __attribute__((always_inline)) void
unpack(int type, const uint8_t *p, int k, const int16_t *sub, __m256i *lo, __m256i *hi, __m256i *mlo, __m256i *mhi) {
    const int h = k / 4, j = k % 4;
    switch (type) {
    case SC_TYPE_Q5_0:
    case SC_TYPE_Q5_1: {   // in bytes: values 0..15 (low nibbles) | 16..31 (high nibbles), fifth bits from qh
        const uint8_t *blk = p + (size_t)k * sc_block_bytes(type);
        const uint8_t *qh_bytes = blk + (type == SC_TYPE_Q5_0 ? 2 : 4);
        const __m128i b = _mm_loadu_si128((const __m128i *)(qh_bytes + 4)), n15 = _mm_set1_epi8(15);
        __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_and_si128(b, n15)), _mm_and_si128(_mm_srli_epi16(b, 4), n15), 1);
        int32_t qh;
        memcpy(&qh, qh_bytes, 4);
        // Byte i takes byte i / 8 of qh; OR-ing every bit but bit i % 8 and comparing with all
        // ones gives 0xff exactly where bit i of qh is set.
        const __m256i spread = _mm256_setr_epi64x(0, 0x0101010101010101, 0x0202020202020202, 0x0303030303030303);
        __m256i bit = _mm256_cmpeq_epi8(_mm256_or_si256(_mm256_shuffle_epi8(_mm256_set1_epi32(qh), spread),
                                                        _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe)), _mm256_set1_epi8(-1));
        if (type == SC_TYPE_Q5_0) q = _mm256_add_epi8(q, _mm256_andnot_si256(bit, _mm256_set1_epi8(-16)));   // q − 16
        else q = _mm256_or_si256(q, _mm256_and_si256(bit, _mm256_set1_epi8(16)));
        *lo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(q));
        *hi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(q, 1));
        break;
    }
    case SC_TYPE_IQ4_NL: {
        const __m128i b = _mm_loadu_si128((const __m128i *)(p + (size_t)k * sizeof(sc_block_iq4_nl) + 2));
        const __m128i table = _mm_loadu_si128((const __m128i *)sc_iq4nl_values), n15 = _mm_set1_epi8(15);
        *lo = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(table, _mm_and_si128(b, n15)));
        *hi = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(table, _mm_and_si128(_mm_srli_epi16(b, 4), n15)));
        break;
    }
    case SC_TYPE_Q4_K:
    case SC_TYPE_Q5_K: {   // in bytes: nibble (k % 2) of qs[32(k / 2) + i] | (bit k of qh[i]) << 4
        const uint8_t *qs = p + (type == SC_TYPE_Q4_K ? offsetof(sc_block_q4_K, qs) : offsetof(sc_block_q5_K, qs)) + 32 * (k / 2);
        const __m256i n15 = _mm256_set1_epi8(15);
        __m256i q = _mm256_and_si256(_mm256_srl_epi16(_mm256_loadu_si256((const __m256i *)qs), _mm_cvtsi32_si128(4 * (k % 2))), n15);
        if (type == SC_TYPE_Q5_K) {
            const __m256i qh = _mm256_loadu_si256((const __m256i *)(p + offsetof(sc_block_q5_K, qh)));
            __m256i bit = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(k)), _mm256_set1_epi8(1));
            q = _mm256_or_si256(q, _mm256_slli_epi16(bit, 4));
        }
        *lo = _mm256_cvtepu8_epi16(_mm256_castsi256_si128(q));
        *hi = _mm256_cvtepu8_epi16(_mm256_extracti128_si256(q, 1));
        break;
    }
    case SC_TYPE_Q6_K: {   // in bytes: nibble | (bits 2j..2j+1 of qh) << 4, minus 32, then widened
        const sc_block_q6_K *blk = (const sc_block_q6_K *)p;
        const __m256i ql = _mm256_loadu_si256((const __m256i *)(blk->ql + 64 * h + 32 * (j % 2)));
        const __m256i qh = _mm256_loadu_si256((const __m256i *)(blk->qh + 32 * h));
        const __m256i n15 = _mm256_set1_epi8(15), n3 = _mm256_set1_epi8(3);
        __m256i nib = _mm256_and_si256(_mm256_srl_epi16(ql, _mm_cvtsi32_si128(4 * (j / 2))), n15);
        __m256i top = _mm256_slli_epi16(_mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * j)), n3), 4);
        __m256i q = _mm256_sub_epi8(_mm256_or_si256(nib, top), _mm256_set1_epi8(32));
        *lo = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm256_castsi256_si128(q)), _mm256_set1_epi16(sub[2 * k]));
        *hi = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm256_extracti128_si256(q, 1)), _mm256_set1_epi16(sub[2 * k + 1]));
        break;
    }
    case SC_TYPE_Q3_K: {
        const sc_block_q3_K *blk = (const sc_block_q3_K *)p;
        const uint8_t *qs = blk->qs + 32 * h;
        const __m128i pair = _mm_cvtsi32_si128(2 * j), kc = _mm_cvtsi32_si128(k);
        const __m256i m3 = _mm256_set1_epi16(3), b2 = _mm256_set1_epi16(4);
        // q = 2 bits | (bit k of hmask) << 2, minus 4.
        __m256i l = _mm256_or_si256(_mm256_and_si256(_mm256_srl_epi16(widen16(qs), pair), m3),
                                    _mm256_and_si256(_mm256_srl_epi16(_mm256_slli_epi16(widen16(blk->hmask), 2), kc), b2));
        __m256i u = _mm256_or_si256(_mm256_and_si256(_mm256_srl_epi16(widen16(qs + 16), pair), m3),
                                    _mm256_and_si256(_mm256_srl_epi16(_mm256_slli_epi16(widen16(blk->hmask + 16), 2), kc), b2));
        *lo = _mm256_mullo_epi16(_mm256_sub_epi16(l, b2), _mm256_set1_epi16(sub[2 * k]));
        *hi = _mm256_mullo_epi16(_mm256_sub_epi16(u, b2), _mm256_set1_epi16(sub[2 * k + 1]));
        break;
    }
    default: {   // Q2_K
        const sc_block_q2_K *blk = (const sc_block_q2_K *)p;
        const uint8_t *qs = blk->qs + 32 * h;
        const __m128i pair = _mm_cvtsi32_si128(2 * j);
        const __m256i m3 = _mm256_set1_epi16(3);
        const int s0 = blk->scales[2 * k], s1 = blk->scales[2 * k + 1];
        *lo = _mm256_mullo_epi16(_mm256_and_si256(_mm256_srl_epi16(widen16(qs), pair), m3), _mm256_set1_epi16((short)(s0 & 15)));
        *hi = _mm256_mullo_epi16(_mm256_and_si256(_mm256_srl_epi16(widen16(qs + 16), pair), m3), _mm256_set1_epi16((short)(s1 & 15)));
        *mlo = _mm256_set1_epi16((short)(s0 >> 4));
        *mhi = _mm256_set1_epi16((short)(s1 >> 4));
        break;
    }
    }
}

/// Σ over 32 values of int16 weights × int16 activations, as 8 float lanes.
SC_AVX2 static inline __m256 dot32(__m256i wlo, __m256i whi, __m256i qlo, __m256i qhi) {
    return _mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_madd_epi16(wlo, qlo), _mm256_madd_epi16(whi, qhi)));
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a job of `type`.
SC_AVX2 static inline __attribute__((always_inline)) void
decoded_tile(int type, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const sc_matmul_job *job = a->job;
    const int64_t nb = a->xq.nb, nb_pad = a->xq.nb_pad, cols = job->cols;
    const size_t row_bytes = sc_row_bytes(type, cols);
    const size_t group_bytes = (size_t)(8 * SC_QK / sc_block_values(type)) * sc_block_bytes(type);
    const int block_min = type == SC_TYPE_Q5_1 || type == SC_TYPE_Q4_K || type == SC_TYPE_Q5_K;
    const uint8_t *w = (const uint8_t *)job->w + (size_t)r * row_bytes;
    const int16_t *xq = a->xq.q + t0 * cols;
    const float *xd = a->xq.d + t0 * nb_pad, *xs = a->xq.s + t0 * nb_pad;
    SC_TILE_ACCUMULATORS(__m256, acc);
    _Alignas(32) float scale[R][TT][8];
    _Alignas(32) float min_scale[R][TT][8];   // Q2_K only
    int16_t sub[R][16];                       // Q3_K and Q6_K only
    for (int64_t g0 = 0; g0 < nb; g0 += 8) {
        const int n8 = nb - g0 < 8 ? (int)(nb - g0) : 8;
        const uint8_t *gp[R];
        for (int i = 0; i < R; i++) {
            gp[i] = w + i * row_bytes + (size_t)(g0 / 8) * group_bytes;
            __m256 dv, ov;
            group_scales(type, gp[i], n8, sub[i], &dv, &ov);
            for (int t = 0; t < TT; t++) {
                __m256 xdv = _mm256_loadu_ps(xd + t * nb_pad + g0);
                _mm256_store_ps(scale[i][t], _mm256_mul_ps(dv, xdv));
                if (block_min) acc[i][t] = _mm256_fmadd_ps(ov, _mm256_loadu_ps(xs + t * nb_pad + g0), acc[i][t]);
                if (type == SC_TYPE_Q2_K) _mm256_store_ps(min_scale[i][t], _mm256_mul_ps(ov, xdv));
            }
        }
        for (int k = 0; k < n8; k++) {
            __m256i wlo[R], whi[R], mlo[R], mhi[R];
            for (int i = 0; i < R; i++) unpack(type, gp[i], k, sub[i], &wlo[i], &whi[i], &mlo[i], &mhi[i]);
            for (int t = 0; t < TT; t++) {
                const int16_t *qx = xq + t * cols + (g0 + k) * SC_QK;
                __m256i qlo = _mm256_loadu_si256((const __m256i *)qx);
                __m256i qhi = _mm256_loadu_si256((const __m256i *)(qx + 16));
                for (int i = 0; i < R; i++) {
                    acc[i][t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&scale[i][t][k]), dot32(wlo[i], whi[i], qlo, qhi), acc[i][t]);
                    if (type == SC_TYPE_Q2_K)
                        acc[i][t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&min_scale[i][t][k]), dot32(mlo[i], mhi[i], qlo, qhi), acc[i][t]);
                }
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) job->y[(t0 + t) * job->y_stride + r + i] = hsum8(acc[i][t]);
}

SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q5_0, decoded_tile, SC_TYPE_Q5_0, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q5_1, decoded_tile, SC_TYPE_Q5_1, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_iq4_nl, decoded_tile, SC_TYPE_IQ4_NL, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q2_k, decoded_tile, SC_TYPE_Q2_K, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q3_k, decoded_tile, SC_TYPE_Q3_K, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q4_k, decoded_tile, SC_TYPE_Q4_K, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q5_k, decoded_tile, SC_TYPE_Q5_K, QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, sc_rows_avx2_q6_k, decoded_tile, SC_TYPE_Q6_K, QUANT_R, 8)
#endif
