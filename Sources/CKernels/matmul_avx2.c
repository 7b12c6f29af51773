// AVX2 + FMA + F16C row kernels for sc_matmul (x86-64), chosen at run time: float tiles here,
// the quantised tiles (int16 vpmaddwd, int8 vpmaddubsw) from quant_tile256.h.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"
#define SC_TILE_ATTR SC_AVX2
#include "weight_types.h"
#include "quant_tile256.h"
#include "tile_plan.h"

// ---------------------------------------------------------------------------------------------
// Tiles. A tile computes R rows × TT positions; R and TT are compile-time constants after
// inlining, so the R·TT accumulators stay in registers. Every (t, r) pair has its own
// accumulator fed in the same column order whatever the tile shape, and is reduced by hsum8,
// so the tile choice (which depends on T) never changes a result.

/// Eight weights from column c of a float-like row, widened to float32.
SC_AVX2 static inline __attribute__((always_inline)) __m256 load8(int kind, const void *w, int64_t c) {
    switch (kind) {
    case KIND_F16: return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)w + c)));
    case KIND_BF16: {
        __m128i h = _mm_loadu_si128((const __m128i *)((const uint16_t *)w + c));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    }
    default: return _mm256_loadu_ps((const float *)w + c);
    }
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a F32/F16/BF16 job.
SC_AVX2 static inline __attribute__((always_inline)) void
float_tile(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const sc_matmul_job *j = a->job;
    int64_t cols = j->cols, c8 = cols & ~(int64_t)7;
    size_t row_bytes = (size_t)cols * (kind == KIND_F32 ? 4 : 2);
    const char *w = (const char *)j->w + r * row_bytes;
    const float *x = a->x + t0 * a->x_stride;
    __m256 acc[R][TT];
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) acc[i][t] = _mm256_setzero_ps();
    for (int64_t c = 0; c < c8; c += 8) {
        __m256 wv[R];
        for (int i = 0; i < R; i++) wv[i] = load8(kind, w + i * row_bytes, c);
        for (int t = 0; t < TT; t++) {
            __m256 xv = _mm256_loadu_ps(x + t * a->x_stride + c);
            for (int i = 0; i < R; i++) acc[i][t] = _mm256_fmadd_ps(wv[i], xv, acc[i][t]);
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) {
            float sum = hsum8(acc[i][t]);
            for (int64_t c = c8; c < cols; c++) sum += load1(kind, w + i * row_bytes, c) * x[t * a->x_stride + c];
            j->y[(t0 + t) * j->y_stride + r + i] = sum;
        }
}

SC_DEFINE_ROWS(SC_AVX2, rows_f32, float_tile, KIND_F32, FLOAT_R, 6)
SC_DEFINE_ROWS(SC_AVX2, rows_f16, float_tile, KIND_F16, FLOAT_R, 6)
SC_DEFINE_ROWS(SC_AVX2, rows_bf16, float_tile, KIND_BF16, FLOAT_R, 6)
SC_DEFINE_ROWS(SC_AVX2, rows_q4_0, quant_tile256, SC_QKIND(SC_TYPE_Q4_0, DOT_MADD16), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, rows_q4_1, quant_tile256, SC_QKIND(SC_TYPE_Q4_1, DOT_MADD16), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, rows_q8_0, quant_tile256, SC_QKIND(SC_TYPE_Q8_0, DOT_MADD16), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, rows_q4_0_i8, quant_tile256, SC_QKIND(SC_TYPE_Q4_0, DOT_MADDUBS8), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, rows_q4_1_i8, quant_tile256, SC_QKIND(SC_TYPE_Q4_1, DOT_MADDUBS8), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2, rows_q8_0_i8, quant_tile256, SC_QKIND(SC_TYPE_Q8_0, DOT_MADDUBS8), QUANT_R, 8)

sc_rows_fn sc_rows_kernel_avx2(int type, int precision) {
    const int fast = precision == SC_PRECISION_FAST;
    switch (type) {
    case SC_TYPE_F32: return rows_f32;
    case SC_TYPE_F16: return rows_f16;
    case SC_TYPE_BF16: return rows_bf16;
    case SC_TYPE_Q4_0: return fast ? rows_q4_0_i8 : rows_q4_0;
    case SC_TYPE_Q4_1: return fast ? rows_q4_1_i8 : rows_q4_1;
    case SC_TYPE_Q8_0: return fast ? rows_q8_0_i8 : rows_q8_0;
    default: return sc_rows_kernel_kq_avx2(type);
    }
}
#endif
