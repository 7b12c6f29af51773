// AVX-512 (F/BW/VL + VNNI) row kernels for sc_matmul (x86-64), chosen at run time.
// Float tiles: 16 columns per FMA, or for BF16 weights on CPUs with AVX512_BF16 and BF16
// activations, 32 columns per vdpbf16ps. Quantised tiles: int16 activations take one vpdpwssd per
// block and position (a block of 32 int16 values is one 512-bit register); int8 activations take
// one vpdpbusd per two blocks and position (64 bytes), their scales laid out per lane by one
// permute. Block-scale preparation and the tile plan are shared with the 256-bit paths.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"
#include "weight_types.h"
#define SC_AVX512 SC_TARGET("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")
#define SC_AVX512_BF16 SC_TARGET("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni,avx512bf16")
#define SC_TILE_ATTR SC_AVX512
#define SC_TILE_HEADS_BY_LANE 1
#include "quant_tile256.h"
#include "tile_plan.h"

/// Sixteen f16 / bf16 values at p widened to float32.
SC_AVX512 static inline __m512 f16x16(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
SC_AVX512 static inline __m512 bf16x16(const uint16_t *p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p)), 16));
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a F32/F16/BF16 job (float32 products and sums):
/// 16 columns a step, one FMA per row and position.
SC_DEFINE_FLOAT_TILE(SC_AVX512, float_tile512, __m512, 16, _mm512_loadu_ps, f16x16, bf16x16, _mm512_fmadd_ps, hsum16)

/// 32 BF16 values from column c, as they are (for vdpbf16ps).
SC_AVX512_BF16 static inline __attribute__((always_inline)) __m512i bf16x32(int kind, const void *p, int64_t c) {
    (void)kind;
    return _mm512_loadu_si512((const void *)((const uint16_t *)p + c));
}
SC_AVX512_BF16 static inline __attribute__((always_inline)) __m512i xb32(const uint16_t *x, int64_t c) { return bf16x32(KIND_BF16, x, c); }
/// acc + the pair-wise BF16 products of w and x (lane i: columns 2i and 2i+1, exact in float32).
SC_AVX512_BF16 static inline __attribute__((always_inline)) __m512 dot_bf16(__m512 acc, __m512i w, __m512i x) {
    return _mm512_dpbf16_ps(acc, (__m512bh)w, (__m512bh)x);
}
static inline float xb1(const uint16_t *x, int64_t c) { return sc_bf16_to_fp32(x[c]); }

/// Rows [r, r+R) × positions [t0, t0+TT) of a BF16 job against BF16 activations (a->xb): one
/// vdpbf16ps per 32 columns, row and position, the column tail in scalar float32, then hsum16.
/// Kind is unused (BF16 only).
SC_AVX512_BF16 static inline __attribute__((always_inline)) void
bf16_dot_tile(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    (void)kind;
    const size_t row_bytes = (size_t)a->job->cols * 2;
    SC_FLOAT_TILE_BODY(__m512, 32, KIND_BF16, (const char *)a->job->w + r * row_bytes, row_bytes, a->xb + t0 * a->xb_stride,
                       a->xb_stride, bf16x32, xb32, dot_bf16, hsum16, xb1)
}

/// Q4_0/Q4_1 nibbles of one block as 32 bytes: values 0..15 (low nibbles), then 16..31.
SC_AVX512 static inline __attribute__((always_inline)) __m256i nibbles8(const uint8_t *qs) {
    __m128i v = _mm_loadu_si128((const __m128i *)qs);
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(v, 4), v), _mm256_set1_epi8(15));
}

static inline const uint8_t *q4_nibbles(int type, const char *blk) {
    return type == SC_TYPE_Q4_0 ? ((const sc_block_q4_0 *)blk)->qs : ((const sc_block_q4_1 *)blk)->qs;
}

/// One block's weights as 32 int16 values (int16 flavour).
SC_AVX512 static inline __attribute__((always_inline)) __m512i block16(int type, const char *blk) {
    if (type == SC_TYPE_Q8_0) return _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)((const sc_block_q8_0 *)blk)->qs));
    __m256i b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)q4_nibbles(type, blk)));
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_and_si256(b, _mm256_set1_epi16(15))), _mm256_srli_epi16(b, 4), 1);
}

/// Two blocks' weights as 64 bytes (int8 flavour): unsigned nibbles for Q4, |w| for Q8_0 (with
/// the signed bytes in *sign). `two` = 0 gives zeros for the second block (an odd last block).
SC_AVX512 static inline __attribute__((always_inline)) __m512i
block_pair8(int type, const char *blk, size_t block_bytes, int two, __m512i *sign) {
    __m256i lo, hi = _mm256_setzero_si256();
    if (type == SC_TYPE_Q8_0) {
        lo = _mm256_loadu_si256((const __m256i *)((const sc_block_q8_0 *)blk)->qs);
        if (two) hi = _mm256_loadu_si256((const __m256i *)((const sc_block_q8_0 *)(blk + block_bytes))->qs);
        *sign = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
        return _mm512_abs_epi8(*sign);
    }
    lo = nibbles8(q4_nibbles(type, blk));
    if (two) hi = nibbles8(q4_nibbles(type, blk + block_bytes));
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a Q4_0 / Q4_1 / Q8_0 job; kind = type·2 + (int8).
/// As quant_tile256 (quant_tile256.h): scales of a chunk first (chunk_scales), then one tight loop over blocks
/// (one block per step with int16 activations, two with int8), one accumulator per (t, r) fed in
/// block order and reduced by hsum16, so results never depend on the tile shape.
SC_AVX512 static inline __attribute__((always_inline)) void
quant_tile512(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const int type = kind / 2, int8 = kind % 2;   // Q512_KIND
    const sc_matmul_job *j = a->job;
    const int64_t nb = a->xq.nb, nb_pad = a->xq.nb_pad, cols = j->cols;
    const size_t block_bytes = sc_block_bytes(type);
    const size_t row_bytes = (size_t)nb * block_bytes;
    const char *w = (const char *)j->w + r * row_bytes;
    // Lane l of a pair's scale vector takes scale k (l < 8) or k + 1 (l ≥ 8).
    const __m512i pair_lanes = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    __m512 acc[R][TT];
    __m256 off[R][TT];
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) acc[i][t] = _mm512_setzero_ps(), off[i][t] = _mm256_setzero_ps();
    float scale[R][TT][SC_SCALE_STRIDE];
    for (int64_t c0 = 0; c0 < nb; c0 += SC_QCHUNK) {
        const int nc = nb - c0 < SC_QCHUNK ? (int)(nb - c0) : SC_QCHUNK;
        chunk_scales(type, w, row_bytes, block_bytes, a->xq.d + t0 * nb_pad, a->xq.s + t0 * nb_pad, nb_pad, c0, nc, R, TT,
                     &scale[0][0][0], &off[0][0]);
        if (!int8) {
            for (int k = 0; k < nc; k++) {
                const int64_t b = c0 + k;
                __m512i wv[R];
                for (int i = 0; i < R; i++) wv[i] = block16(type, w + i * row_bytes + (size_t)b * block_bytes);
                for (int t = 0; t < TT; t++) {
                    __m512i x = _mm512_loadu_si512((const void *)(a->xq.q + (t0 + t) * cols + b * SC_QK));
                    for (int i = 0; i < R; i++) {
                        __m512 p = _mm512_cvtepi32_ps(_mm512_dpwssd_epi32(_mm512_setzero_si512(), wv[i], x));
                        acc[i][t] = _mm512_fmadd_ps(_mm512_set1_ps(scale[i][t][k]), p, acc[i][t]);
                    }
                }
            }
        } else {
            for (int k = 0; k < nc; k += 2) {
                const int64_t b = c0 + k;
                const int two = k + 1 < nc;
                __m512i wv[R], sv[R];
                for (int i = 0; i < R; i++) wv[i] = block_pair8(type, w + i * row_bytes + (size_t)b * block_bytes, block_bytes, two, &sv[i]);
                for (int t = 0; t < TT; t++) {
                    const int8_t *qx = a->xq.q8 + (t0 + t) * cols + b * SC_QK;
                    __m512i x = _mm512_maskz_loadu_epi8(two ? ~(__mmask64)0 : (__mmask64)0xffffffffu, qx);
                    for (int i = 0; i < R; i++) {
                        __m512i xi = type == SC_TYPE_Q8_0 ? _mm512_mask_sub_epi8(x, _mm512_movepi8_mask(sv[i]), _mm512_setzero_si512(), x) : x;
                        __m512 p = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), wv[i], xi));
                        __m512 sc = _mm512_permutexvar_ps(pair_lanes, _mm512_castps128_ps512(_mm_castpd_ps(_mm_load_sd((const double *)&scale[i][t][k]))));
                        acc[i][t] = _mm512_fmadd_ps(sc, p, acc[i][t]);
                    }
                }
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) j->y[(t0 + t) * j->y_stride + r + i] = hsum16(acc[i][t]) + hsum8(off[i][t]);
}

/// A quant_tile512 kind: the weight type and whether the activations are int8.
#define Q512_KIND(type, int8) ((type) * 2 + (int8))

// The FP32-FMA tiles keep the 256-bit plan (groups of ≤ 6): with float32 activations, T ≥ 5 in
// one group (2 rows a tile) re-reads T·cols·4 bytes of x per 2 rows, beyond L1 at 2048 columns
// (measured against the 8/4/2-row plan: docs/performance.md, "Kernel paths").
SC_DEFINE_FLOAT_ROWS(SC_AVX512, avx512, float_tile512)
SC_DEFINE_ROWS(SC_AVX512_BF16, sc_rows_avx512_bf16_dot, bf16_dot_tile, KIND_BF16, FLOAT512_R, 9)
SC_DEFINE_BASIC_ROWS(SC_AVX512, avx512, quant_tile512, Q512_KIND)
#endif
