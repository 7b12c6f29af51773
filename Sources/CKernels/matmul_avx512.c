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

/// Sum of the 16 lanes in a fixed order: the two 256-bit halves added, then hsum8.
SC_AVX512 static inline float hsum16(__m512 v) {
    return hsum8(_mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
}

/// Sixteen weights from column c of a float-like row, widened to float32.
SC_AVX512 static inline __attribute__((always_inline)) __m512 load16(int kind, const void *w, int64_t c) {
    switch (kind) {
    case KIND_F16: return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)w + c)));
    case KIND_BF16: {
        __m256i h = _mm256_loadu_si256((const __m256i *)((const uint16_t *)w + c));
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
    default: return _mm512_loadu_ps((const float *)w + c);
    }
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a F32/F16/BF16 job (float32 products and sums).
SC_AVX512 static inline __attribute__((always_inline)) void
float_tile512(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const sc_matmul_job *j = a->job;
    int64_t cols = j->cols, c16 = cols & ~(int64_t)15;
    size_t row_bytes = (size_t)cols * (kind == KIND_F32 ? 4 : 2);
    const char *w = (const char *)j->w + r * row_bytes;
    const float *x = a->x + t0 * a->x_stride;
    __m512 acc[R][TT];
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) acc[i][t] = _mm512_setzero_ps();
    for (int64_t c = 0; c < c16; c += 16) {
        __m512 wv[R];
        for (int i = 0; i < R; i++) wv[i] = load16(kind, w + i * row_bytes, c);
        for (int t = 0; t < TT; t++) {
            __m512 xv = _mm512_loadu_ps(x + t * a->x_stride + c);
            for (int i = 0; i < R; i++) acc[i][t] = _mm512_fmadd_ps(wv[i], xv, acc[i][t]);
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) {
            float sum = hsum16(acc[i][t]);
            for (int64_t c = c16; c < cols; c++) sum += load1(kind, w + i * row_bytes, c) * x[t * a->x_stride + c];
            j->y[(t0 + t) * j->y_stride + r + i] = sum;
        }
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a BF16 job against BF16 activations (a->xb): one
/// vdpbf16ps per 32 columns, row and position (lane i adds the products of columns 2i and 2i+1,
/// exact in float32, to its float32 accumulator), the column tail in scalar float32, then
/// hsum16. Kind is unused (BF16 only).
SC_AVX512_BF16 static inline __attribute__((always_inline)) void
bf16_dot_tile(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    (void)kind;
    const sc_matmul_job *j = a->job;
    const int64_t cols = j->cols, c32 = cols & ~(int64_t)31;
    const uint16_t *w = (const uint16_t *)j->w + r * cols;
    const uint16_t *x = a->xb + t0 * a->xb_stride;
    __m512 acc[R][TT];
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) acc[i][t] = _mm512_setzero_ps();
    for (int64_t c = 0; c < c32; c += 32) {
        __m512i wv[R];
        for (int i = 0; i < R; i++) wv[i] = _mm512_loadu_si512((const void *)(w + i * cols + c));
        for (int t = 0; t < TT; t++) {
            __m512i xv = _mm512_loadu_si512((const void *)(x + t * a->xb_stride + c));
            for (int i = 0; i < R; i++) acc[i][t] = _mm512_dpbf16_ps(acc[i][t], (__m512bh)wv[i], (__m512bh)xv);
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) {
            float sum = hsum16(acc[i][t]);
            for (int64_t c = c32; c < cols; c++)
                sum += sc_bf16_to_fp32(w[i * cols + c]) * sc_bf16_to_fp32(x[t * a->xb_stride + c]);
            j->y[(t0 + t) * j->y_stride + r + i] = sum;
        }
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
    const int type = kind / 2, int8 = kind % 2;
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

#define Q512(type, int8) ((type) * 2 + (int8))

// The FP32-FMA tiles keep the 256-bit plan (groups of ≤ 6): with float32 activations, T ≥ 5 in
// one group (2 rows a tile) re-reads T·cols·4 bytes of x per 2 rows, beyond L1 at 2048 columns;
// measured single-thread in L2 (64 × 2048 BF16, ns per weight at T = 1…9), the 8/4/2-row plan
// gave 0.031 0.036 0.054 0.071 0.134 0.140 0.153 0.189 0.238 against this plan's
// 0.032 0.041 0.055 0.073 0.136 0.142 0.131 0.147 0.205.
SC_DEFINE_ROWS(SC_AVX512, rows_f32, float_tile512, KIND_F32, FLOAT_R, 6)
SC_DEFINE_ROWS(SC_AVX512, rows_f16, float_tile512, KIND_F16, FLOAT_R, 6)
SC_DEFINE_ROWS(SC_AVX512, rows_bf16, float_tile512, KIND_BF16, FLOAT_R, 6)
SC_DEFINE_ROWS512(SC_AVX512_BF16, rows_bf16_dot, bf16_dot_tile, KIND_BF16)
SC_DEFINE_ROWS(SC_AVX512, rows_q4_0, quant_tile512, Q512(SC_TYPE_Q4_0, 0), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX512, rows_q4_1, quant_tile512, Q512(SC_TYPE_Q4_1, 0), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX512, rows_q8_0, quant_tile512, Q512(SC_TYPE_Q8_0, 0), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX512, rows_q4_0_i8, quant_tile512, Q512(SC_TYPE_Q4_0, 1), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX512, rows_q4_1_i8, quant_tile512, Q512(SC_TYPE_Q4_1, 1), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX512, rows_q8_0_i8, quant_tile512, Q512(SC_TYPE_Q8_0, 1), QUANT_R, 8)

#ifdef SC_EMULATE_SIMD
#define SC_CPU_HAS_AVX512_BF16 1   // SIMDe emulates vdpbf16ps
#else
#define SC_CPU_HAS_AVX512_BF16 sc_cpu_has_avx512_bf16()
#endif

/// BF16 activations change results (max|y − ref| / max|ref| = 2.2e-3 on a 2048 × 8192 product,
/// float32: 6.6e-7), so they belong to the fast precision; they cost about half the compute of
/// the FP32-FMA kernel per extra position (single thread in L2, 64 × 2048, ns per weight at
/// T = 1…9: 0.027 0.034 0.043 0.057 0.071 0.085 0.101 0.127 0.155).
int sc_avx512_bf16_activations(int type, int precision) {
    return type == SC_TYPE_BF16 && precision == SC_PRECISION_FAST && SC_CPU_HAS_AVX512_BF16;
}

sc_rows_fn sc_rows_kernel_avx512(int type, int precision) {
    const int fast = precision == SC_PRECISION_FAST;
    switch (type) {
    case SC_TYPE_F32: return rows_f32;
    case SC_TYPE_F16: return rows_f16;
    case SC_TYPE_BF16: return sc_avx512_bf16_activations(type, precision) ? rows_bf16_dot : rows_bf16;
    case SC_TYPE_Q4_0: return fast ? rows_q4_0_i8 : rows_q4_0;
    case SC_TYPE_Q4_1: return fast ? rows_q4_1_i8 : rows_q4_1;
    case SC_TYPE_Q8_0: return fast ? rows_q8_0_i8 : rows_q8_0;
    default: return sc_rows_kernel_kq_avx512(type);
    }
}
#endif
