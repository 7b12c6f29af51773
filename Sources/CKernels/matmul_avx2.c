// AVX2 + FMA + F16C row kernels for sc_matmul (x86-64), chosen at run time.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"

// ---------------------------------------------------------------------------------------------
// Tiles. A tile computes R rows × TT positions; R and TT are compile-time constants after
// inlining, so the R·TT accumulators stay in registers. Every (t, r) pair has its own
// accumulator fed in the same column order whatever the tile shape, and is reduced by hsum8,
// so the tile choice (which depends on T) never changes a result.

enum { KIND_F32, KIND_F16, KIND_BF16 };

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

static inline __attribute__((always_inline)) float load1(int kind, const void *w, int64_t c) {
    switch (kind) {
    case KIND_F16: return sc_fp16_to_fp32(((const uint16_t *)w)[c]);
    case KIND_BF16: return sc_bf16_to_fp32(((const uint16_t *)w)[c]);
    default: return ((const float *)w)[c];
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

/// Weights of a Q4_0 / Q4_1 block as 32 unsigned bytes 0..15 in value order.
SC_AVX2 static inline __m256i unpack_nibbles(const uint8_t *qs) {
    __m128i raw = _mm_loadu_si128((const __m128i *)qs);
    __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(15));
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a Q4_0 / Q4_1 / Q8_0 job against int8 activations.
/// Blocks are taken 8 at a time. First the 8 weight scales d_w (and offsets: −8·d_w for Q4_0, m
/// for Q4_1) are gathered into vectors, giving per position the 8 products d_w·d_x with one
/// multiply and the offset term Σ off·s_x with one FMA. Then each block costs, per position, an
/// integer dot product (maddubs + madd → 8 int32 lane sums), a conversion and one FMA.
SC_AVX2 static inline __attribute__((always_inline)) void
quant_tile(int type, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const sc_matmul_job *j = a->job;
    const int64_t nb = a->xq.nb, nb_pad = a->xq.nb_pad, cols = j->cols;
    const size_t block_bytes = type == SC_TYPE_Q4_0 ? sizeof(sc_block_q4_0)
                             : type == SC_TYPE_Q4_1 ? sizeof(sc_block_q4_1) : sizeof(sc_block_q8_0);
    const size_t row_bytes = (size_t)nb * block_bytes;
    const char *w = (const char *)j->w + r * row_bytes;
    const int8_t *xq = a->xq.q + t0 * cols;
    const float *xd = a->xq.d + t0 * nb_pad, *xs = a->xq.s + t0 * nb_pad;
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[R][TT];
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) acc[i][t] = _mm256_setzero_ps();
    _Alignas(32) float scale[R][TT][8];
    for (int64_t b8 = 0; b8 < nb; b8 += 8) {
        const int n8 = nb - b8 < 8 ? (int)(nb - b8) : 8;
        for (int i = 0; i < R; i++) {
            float d[8], m[8];
            for (int k = 0; k < 8; k++) {
                // Both f16 scales of a block in one conversion: lane 0 = d, lane 1 = m (Q4_1 only).
                // Past the last block: zero, matching the zero padding of xd and xs.
                int64_t b = k < n8 ? b8 + k : b8;
                __m128 sc = _mm_cvtph_ps(_mm_loadu_si32(w + i * row_bytes + (size_t)b * block_bytes));
                d[k] = k < n8 ? _mm_cvtss_f32(sc) : 0.0f;
                m[k] = k < n8 ? _mm_cvtss_f32(_mm_movehdup_ps(sc)) : 0.0f;
            }
            __m256 dv = _mm256_setr_ps(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
            __m256 off = type == SC_TYPE_Q4_0 ? _mm256_mul_ps(dv, _mm256_set1_ps(-8.0f))
                                              : _mm256_setr_ps(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
            for (int t = 0; t < TT; t++) {
                _mm256_store_ps(scale[i][t], _mm256_mul_ps(dv, _mm256_loadu_ps(xd + t * nb_pad + b8)));
                if (type != SC_TYPE_Q8_0)
                    acc[i][t] = _mm256_fmadd_ps(off, _mm256_loadu_ps(xs + t * nb_pad + b8), acc[i][t]);
            }
        }
        for (int k = 0; k < n8; k++) {
            const int64_t b = b8 + k;
            __m256i wq[R], wabs[R];
            for (int i = 0; i < R; i++) {
                const char *blk = w + i * row_bytes + (size_t)b * block_bytes;
                if (type == SC_TYPE_Q4_0) wq[i] = unpack_nibbles(((const sc_block_q4_0 *)blk)->qs);
                else if (type == SC_TYPE_Q4_1) wq[i] = unpack_nibbles(((const sc_block_q4_1 *)blk)->qs);
                else {
                    // Q8_0 weights are signed: maddubs needs |w| unsigned and sign(w) moved onto q.
                    wq[i] = _mm256_loadu_si256((const __m256i *)((const sc_block_q8_0 *)blk)->qs);
                    wabs[i] = _mm256_sign_epi8(wq[i], wq[i]);
                }
            }
            for (int t = 0; t < TT; t++) {
                __m256i q = _mm256_loadu_si256((const __m256i *)(xq + t * cols + b * SC_QK));
                for (int i = 0; i < R; i++) {
                    __m256i p16 = type == SC_TYPE_Q8_0 ? _mm256_maddubs_epi16(wabs[i], _mm256_sign_epi8(q, wq[i]))
                                                       : _mm256_maddubs_epi16(wq[i], q);
                    __m256 p = _mm256_cvtepi32_ps(_mm256_madd_epi16(p16, ones));
                    acc[i][t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&scale[i][t][k]), p, acc[i][t]);
                }
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) j->y[(t0 + t) * j->y_stride + r + i] = hsum8(acc[i][t]);
}

/// One TILE call with run-time R (rows) and TT (positions), turned into the compile-time shapes
/// that fit in registers (R·TT accumulators + R weight vectors ≤ 16): R = 4 for TT ≤ 2,
/// R = 3 for TT ≤ 3, R = 2 for TT ≤ 4, R = 1 for TT ≤ 8.
#define SC_TILE_ANY(TILE, K, a, r, t0, R, TT)                                                      \
    switch ((R) * 16 + (TT)) {                                                                     \
    case 4 * 16 + 1: TILE(K, a, r, t0, 4, 1); break;                                               \
    case 4 * 16 + 2: TILE(K, a, r, t0, 4, 2); break;                                               \
    case 3 * 16 + 1: TILE(K, a, r, t0, 3, 1); break;                                               \
    case 3 * 16 + 2: TILE(K, a, r, t0, 3, 2); break;                                               \
    case 3 * 16 + 3: TILE(K, a, r, t0, 3, 3); break;                                               \
    case 2 * 16 + 1: TILE(K, a, r, t0, 2, 1); break;                                               \
    case 2 * 16 + 2: TILE(K, a, r, t0, 2, 2); break;                                               \
    case 2 * 16 + 3: TILE(K, a, r, t0, 2, 3); break;                                               \
    case 2 * 16 + 4: TILE(K, a, r, t0, 2, 4); break;                                               \
    case 1 * 16 + 1: TILE(K, a, r, t0, 1, 1); break;                                               \
    case 1 * 16 + 2: TILE(K, a, r, t0, 1, 2); break;                                               \
    case 1 * 16 + 3: TILE(K, a, r, t0, 1, 3); break;                                               \
    case 1 * 16 + 4: TILE(K, a, r, t0, 1, 4); break;                                               \
    case 1 * 16 + 5: TILE(K, a, r, t0, 1, 5); break;                                               \
    case 1 * 16 + 6: TILE(K, a, r, t0, 1, 6); break;                                               \
    case 1 * 16 + 7: TILE(K, a, r, t0, 1, 7); break;                                               \
    default: TILE(K, a, r, t0, 1, 8); break;                                                       \
    }

/// Runs TILE over rows [r0, r1) and all T positions. Positions are split into the fewest groups
/// of at most GMAX with near-equal sizes (9 = 5 + 4, never 8 + 1: a lone position is one
/// latency-bound accumulator chain); each tile of R_FOR(largest group) rows runs every group
/// while its weight rows are in L1; leftover rows go one at a time.
#define SC_ROWS_BODY(TILE, K, R_FOR, GMAX)                                                         \
    const int T = a->T, groups = (T + (GMAX) - 1) / (GMAX), R = R_FOR((T + groups - 1) / groups);  \
    int64_t r = r0;                                                                                \
    for (; r + R <= r1; r += R)                                                                    \
        for (int g = 0, t0 = 0, tt; g < groups; g++, t0 += tt) {                                   \
            tt = (T - t0) / (groups - g);                                                          \
            SC_TILE_ANY(TILE, K, a, r, t0, R, tt)                                                  \
        }                                                                                          \
    for (; r < r1; r++)                                                                            \
        for (int g = 0, t0 = 0, tt; g < groups; g++, t0 += tt) {                                   \
            tt = (T - t0) / (groups - g);                                                          \
            SC_TILE_ANY(TILE, K, a, r, t0, 1, tt)                                                  \
        }

/// Rows per tile for a group of T positions. Float tiles take groups of ≤ 4 (x rows of a group
/// stay in L1, weights are re-read from L1); quantised tiles take ≤ 8, so a block is unpacked
/// once for up to 8 positions.
#define FLOAT_R(T) ((T) <= 2 ? 4 : (T) == 3 ? 3 : 2)
#define QUANT_R(T) ((T) == 1 ? 4 : (T) == 2 ? 2 : 1)

#define SC_DEFINE_ROWS(NAME, TILE, K, R_FOR, GMAX)                                                 \
    SC_AVX2 static void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) { SC_ROWS_BODY(TILE, K, R_FOR, GMAX) }

SC_DEFINE_ROWS(rows_f32, float_tile, KIND_F32, FLOAT_R, 4)
SC_DEFINE_ROWS(rows_f16, float_tile, KIND_F16, FLOAT_R, 4)
SC_DEFINE_ROWS(rows_bf16, float_tile, KIND_BF16, FLOAT_R, 4)
SC_DEFINE_ROWS(rows_q4_0, quant_tile, SC_TYPE_Q4_0, QUANT_R, 8)
SC_DEFINE_ROWS(rows_q4_1, quant_tile, SC_TYPE_Q4_1, QUANT_R, 8)
SC_DEFINE_ROWS(rows_q8_0, quant_tile, SC_TYPE_Q8_0, QUANT_R, 8)

sc_rows_fn sc_rows_kernel_avx2(int type) {
    switch (type) {
    case SC_TYPE_F32: return rows_f32;
    case SC_TYPE_F16: return rows_f16;
    case SC_TYPE_BF16: return rows_bf16;
    case SC_TYPE_Q4_0: return rows_q4_0;
    case SC_TYPE_Q4_1: return rows_q4_1;
    case SC_TYPE_Q8_0: return rows_q8_0;
    default: return NULL;
    }
}
#endif
