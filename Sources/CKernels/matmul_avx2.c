// AVX2 + FMA + F16C row kernels for sc_matmul (x86-64), chosen at run time.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"
#include "kquants.h"

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

/// Weights of a Q4_0 / Q4_1 block as two vectors of 16 int16 values 0..15: values 0..15 (low
/// nibbles) in lo, 16..31 (high nibbles) in hi. Byte i zero-extended to 16 bits holds value i in
/// bits 0..3 and value i+16 in bits 4..7, so one widening load, one AND and one shift suffice.
SC_AVX2 static inline void unpack_nibbles16(const uint8_t *qs, __m256i *lo, __m256i *hi) {
    __m256i b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)qs));
    __asm__("" : "+x"(b));   // keep the 256-bit form: compilers otherwise mask and widen twice
    *lo = _mm256_and_si256(b, _mm256_set1_epi16(15));
    *hi = _mm256_srli_epi16(b, 4);
}

/// The first 4 bytes of a block (its f16 d, and m for Q4_1).
static inline int32_t head4(const char *blk) {
    int32_t v;
    memcpy(&v, blk, 4);
    return v;
}

/// The f16 scales of 8 consecutive blocks (the first at `blk`, `block_bytes` apart) as floats:
/// d of each block, and the 16 bits after it (m for Q4_1) — one gather of the blocks' first 4
/// bytes, then one byte shuffle, one lane permute and two conversions. Blocks k ≥ n8 are not
/// read and give 0, matching the zero padding of the activation scales.
SC_AVX2 static inline __attribute__((always_inline)) void
block_scales(const char *blk, int block_bytes, int n8, __m256 *d, __m256 *m) {
    __m256i g;
    if (n8 == 8) {
        g = _mm256_setr_epi32(head4(blk), head4(blk + block_bytes), head4(blk + 2 * block_bytes),
                              head4(blk + 3 * block_bytes), head4(blk + 4 * block_bytes),
                              head4(blk + 5 * block_bytes), head4(blk + 6 * block_bytes),
                              head4(blk + 7 * block_bytes));
    } else {
        int32_t h[8] = {0};
        for (int k = 0; k < n8; k++) h[k] = head4(blk + k * block_bytes);
        g = _mm256_loadu_si256((const __m256i *)h);
    }
    // Per 128-bit lane: the four low halves (d), then the four high halves (m).
    const __m256i split = _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15,
                                           0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15);
    g = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(g, split), 0xd8);   // d0..7 | m0..7
    *d = _mm256_cvtph_ps(_mm256_castsi256_si128(g));
    *m = _mm256_cvtph_ps(_mm256_extracti128_si256(g, 1));
}

/// Blocks whose scales a quantised tile prepares at once (a multiple of 8).
#define SC_QCHUNK 64

/// Rows [r, r+R) × positions [t0, t0+TT) of a Q4_0 / Q4_1 / Q8_0 job against int16 activations.
/// Blocks are taken SC_QCHUNK at a time. First the weight scales d_w (and offsets: −8·d_w for
/// Q4_0, m for Q4_1) of 8 blocks at a time are loaded into vectors, giving per position the 8
/// products d_w·d_x with one multiply and the offset term Σ off·s_x with one FMA. Then, in one
/// tight loop over the chunk's blocks, each block costs one unpack per row and, per position, an
/// integer dot product (two madd of int16 weights × int16 activations, one add → 8 int32 lane
/// sums, at most 4·15·32767 or 4·127·32767 in magnitude), a conversion and one FMA.
SC_AVX2 static inline __attribute__((always_inline)) void
quant_tile(int type, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const sc_matmul_job *j = a->job;
    const int64_t nb = a->xq.nb, nb_pad = a->xq.nb_pad, cols = j->cols;
    const size_t block_bytes = type == SC_TYPE_Q4_0 ? sizeof(sc_block_q4_0)
                             : type == SC_TYPE_Q4_1 ? sizeof(sc_block_q4_1) : sizeof(sc_block_q8_0);
    const size_t row_bytes = (size_t)nb * block_bytes;
    const char *w = (const char *)j->w + r * row_bytes;
    const int16_t *xq = a->xq.q + t0 * cols;
    const float *xd = a->xq.d + t0 * nb_pad, *xs = a->xq.s + t0 * nb_pad;
    __m256 acc[R][TT];
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) acc[i][t] = _mm256_setzero_ps();
    // Blocks are taken SC_QCHUNK at a time: first every block's d_w·d_x (and the offset term)
    // for the chunk, then the integer dot products in one tight loop.
    _Alignas(32) float scale[R][TT][SC_QCHUNK];
    for (int64_t c0 = 0; c0 < nb; c0 += SC_QCHUNK) {
        const int nc = nb - c0 < SC_QCHUNK ? (int)(nb - c0) : SC_QCHUNK;
        for (int b8 = 0; b8 < nc; b8 += 8) {
            const int n8 = nc - b8 < 8 ? nc - b8 : 8;
            for (int i = 0; i < R; i++) {
                __m256 dv, mv;
                block_scales(w + i * row_bytes + (size_t)(c0 + b8) * block_bytes, (int)block_bytes, n8, &dv, &mv);
                __m256 off = type == SC_TYPE_Q4_0 ? _mm256_mul_ps(dv, _mm256_set1_ps(-8.0f)) : mv;
                for (int t = 0; t < TT; t++) {
                    _mm256_store_ps(scale[i][t] + b8, _mm256_mul_ps(dv, _mm256_loadu_ps(xd + t * nb_pad + c0 + b8)));
                    if (type != SC_TYPE_Q8_0)
                        acc[i][t] = _mm256_fmadd_ps(off, _mm256_loadu_ps(xs + t * nb_pad + c0 + b8), acc[i][t]);
                }
            }
        }
        for (int k = 0; k < nc; k++) {
            const int64_t b = c0 + k;
            __m256i wlo[R], whi[R];
            for (int i = 0; i < R; i++) {
                const char *blk = w + i * row_bytes + (size_t)b * block_bytes;
                if (type == SC_TYPE_Q4_0) unpack_nibbles16(((const sc_block_q4_0 *)blk)->qs, &wlo[i], &whi[i]);
                else if (type == SC_TYPE_Q4_1) unpack_nibbles16(((const sc_block_q4_1 *)blk)->qs, &wlo[i], &whi[i]);
                else {
                    const int8_t *qs = ((const sc_block_q8_0 *)blk)->qs;
                    wlo[i] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)qs));
                    whi[i] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(qs + 16)));
                }
            }
            for (int t = 0; t < TT; t++) {
                const int16_t *qx = xq + t * cols + b * SC_QK;
                __m256i qlo = _mm256_loadu_si256((const __m256i *)qx);
                __m256i qhi = _mm256_loadu_si256((const __m256i *)(qx + 16));
                for (int i = 0; i < R; i++) {
                    __m256i dot = _mm256_add_epi32(_mm256_madd_epi16(wlo[i], qlo), _mm256_madd_epi16(whi[i], qhi));
                    __m256 p = _mm256_cvtepi32_ps(dot);
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
/// R = 3 for TT ≤ 4, R = 2 for TT ≤ 6, R = 1 for TT ≤ 8.
#define SC_TILE_ANY(TILE, K, a, r, t0, R, TT)                                                      \
    switch ((R) * 16 + (TT)) {                                                                     \
    case 4 * 16 + 1: TILE(K, a, r, t0, 4, 1); break;                                               \
    case 4 * 16 + 2: TILE(K, a, r, t0, 4, 2); break;                                               \
    case 3 * 16 + 1: TILE(K, a, r, t0, 3, 1); break;                                               \
    case 3 * 16 + 2: TILE(K, a, r, t0, 3, 2); break;                                               \
    case 3 * 16 + 3: TILE(K, a, r, t0, 3, 3); break;                                               \
    case 3 * 16 + 4: TILE(K, a, r, t0, 3, 4); break;                                               \
    case 2 * 16 + 1: TILE(K, a, r, t0, 2, 1); break;                                               \
    case 2 * 16 + 2: TILE(K, a, r, t0, 2, 2); break;                                               \
    case 2 * 16 + 3: TILE(K, a, r, t0, 2, 3); break;                                               \
    case 2 * 16 + 4: TILE(K, a, r, t0, 2, 4); break;                                               \
    case 2 * 16 + 5: TILE(K, a, r, t0, 2, 5); break;                                               \
    case 2 * 16 + 6: TILE(K, a, r, t0, 2, 6); break;                                               \
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

/// Rows per tile for a group of T positions. Float tiles take groups of ≤ 6 (2 × 6 tiles, 3 × 4
/// at T = 4: every x load feeds two or three FMAs, and ≥ 8 independent FMA chains hide their
/// latency); quantised tiles take ≤ 8, so a block is unpacked once for up to 8 positions, with
/// 2 rows for T ≤ 2 (4 rows run out of registers).
#define FLOAT_R(T) ((T) <= 2 ? 4 : (T) <= 4 ? 3 : 2)
#define QUANT_R(T) ((T) <= 2 ? 2 : 1)

#define SC_DEFINE_ROWS(NAME, TILE, K, R_FOR, GMAX)                                                 \
    SC_AVX2 static void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) { SC_ROWS_BODY(TILE, K, R_FOR, GMAX) }

SC_DEFINE_ROWS(rows_f32, float_tile, KIND_F32, FLOAT_R, 6)
SC_DEFINE_ROWS(rows_f16, float_tile, KIND_F16, FLOAT_R, 6)
SC_DEFINE_ROWS(rows_bf16, float_tile, KIND_BF16, FLOAT_R, 6)
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
    default: return sc_rows_kernel_kq_avx2(type);
    }
}
#endif
