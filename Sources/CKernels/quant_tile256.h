// Quantised tiles at 256 bits, shared by the AVX2 and AVX-VNNI paths: Q4_0 / Q4_1 / Q8_0 weights
// against int16 or int8 activations (sc_xq). The including file defines SC_TILE_ATTR, the
// target attribute of its path, before including this header (and SC_TILE_HEADS_BY_LANE 1 when
// that target has AVX-512, see block_scales), and instantiates the tile with the dot-product
// flavours its instruction set has.
#ifndef SKIPCHAT_QUANT_TILE256_H
#define SKIPCHAT_QUANT_TILE256_H

#include "avx2_util.h"
#include "weight_types.h"

#ifndef SC_TILE_HEADS_BY_LANE
#define SC_TILE_HEADS_BY_LANE 0
#endif

/// How one block's integer dot product is formed, per (row, position):
/// MADD16   int16 × int16: 2 vpmaddwd + 1 add (AVX2)
/// MADDUBS8 uint8 × int8: vpmaddubsw + vpmaddwd by ones (AVX2; llama.cpp's way)
/// VNNI16   int16 × int16: 2 vpdpwssd (AVX-VNNI)
/// VNNI8    uint8 × int8: 1 vpdpbusd (AVX-VNNI)
/// Q8_0 weights are signed: the int8 flavours multiply |w| by x with w's sign (vpsignb).
enum { DOT_MADD16 = 0, DOT_MADDUBS8 = 1, DOT_VNNI16 = 2, DOT_VNNI8 = 3 };

/// A tile kind for SC_TILE_ANY: the weight type and the dot flavour in one constant.
#define SC_QKIND(type, dot) ((type) * 4 + (dot))

/// The first 4 bytes of a block (its f16 d, and m for Q4_1).
static inline int32_t head4(const char *blk) {
    int32_t v;
    memcpy(&v, blk, 4);
    return v;
}

/// The f16 scales of 8 consecutive blocks (the first at `blk`, `block_bytes` apart) as floats:
/// d of each block, and the 16 bits after it (m for Q4_1) — scalar loads of the blocks' first 4
/// bytes (a gather is slower on AMD Zen 3), then one byte shuffle, one lane permute and two
/// conversions. Blocks k ≥ n8 are not read and give 0, matching the zero padding of the
/// activation scales.
SC_TILE_ATTR static inline __attribute__((always_inline)) void
block_scales(const char *blk, int block_bytes, int n8, __m256 *d, __m256 *m) {
    __m256i g;
    if (n8 == 8) {
        g = _mm256_setr_epi32(head4(blk), head4(blk + block_bytes), head4(blk + 2 * block_bytes),
                              head4(blk + 3 * block_bytes), head4(blk + 4 * block_bytes),
                              head4(blk + 5 * block_bytes), head4(blk + 6 * block_bytes),
                              head4(blk + 7 * block_bytes));
    } else if (SC_TILE_HEADS_BY_LANE) {
        // Lane by lane: with AVX-512 enabled the compiler turns the buffer below into masked
        // stores that a 32-byte load cannot forward from, a stall on every row whose block
        // count is not a multiple of 8 (the default model's 576 columns are 18 blocks). Without
        // AVX-512 the buffer is the faster of the two.
#define SC_HEAD(k) ((k) < n8 ? head4(blk + (k) * block_bytes) : 0)
        g = _mm256_setr_epi32(SC_HEAD(0), SC_HEAD(1), SC_HEAD(2), SC_HEAD(3), SC_HEAD(4), SC_HEAD(5), SC_HEAD(6), SC_HEAD(7));
#undef SC_HEAD
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

/// Weights of one block in the layout the dot flavour reads. 16-bit flavours: lo = values 0..15,
/// hi = values 16..31 as int16. 8-bit flavours: lo = the 32 values as bytes (Q4: 0..15 unsigned;
/// Q8_0: |w|), hi = the signed Q8_0 bytes (for their signs; unused for Q4).
SC_TILE_ATTR static inline __attribute__((always_inline)) void
unpack_block(int type, int dot, const char *blk, __m256i *lo, __m256i *hi) {
    const int wide = dot == DOT_MADD16 || dot == DOT_VNNI16;
    if (type == SC_TYPE_Q8_0) {
        const int8_t *qs = ((const sc_block_q8_0 *)blk)->qs;
        if (wide) {
            *lo = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)qs));
            *hi = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(qs + 16)));
        } else {
            *hi = _mm256_loadu_si256((const __m256i *)qs);
            *lo = _mm256_abs_epi8(*hi);
        }
        return;
    }
    const uint8_t *qs = type == SC_TYPE_Q4_0 ? ((const sc_block_q4_0 *)blk)->qs : ((const sc_block_q4_1 *)blk)->qs;
    if (wide) {
        // Byte i zero-extended to 16 bits holds value i in bits 0..3 and value i+16 in bits 4..7.
        __m256i b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)qs));
        SC_OPAQUE(b);   // keep the 256-bit form: compilers otherwise mask and widen twice
        *lo = _mm256_and_si256(b, _mm256_set1_epi16(15));
        *hi = _mm256_srli_epi16(b, 4);
    } else {
        __m128i v = _mm_loadu_si128((const __m128i *)qs);
        *lo = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(v, 4), v), _mm256_set1_epi8(15));
        *hi = *lo;
    }
}

/// Eight int32 partial sums of one block's dot product (their total is the exact Σ w·x).
SC_TILE_ATTR static inline __attribute__((always_inline)) __m256i
block_dot(int type, int dot, __m256i wlo, __m256i whi, const sc_xq *xq, int64_t offset) {
    switch (dot) {
    case DOT_MADD16: {
        __m256i qlo = _mm256_loadu_si256((const __m256i *)(xq->q + offset));
        __m256i qhi = _mm256_loadu_si256((const __m256i *)(xq->q + offset + 16));
        return _mm256_add_epi32(_mm256_madd_epi16(wlo, qlo), _mm256_madd_epi16(whi, qhi));
    }
#ifdef SC_HAVE_AVX_VNNI
    case DOT_VNNI16: {
        __m256i qlo = _mm256_loadu_si256((const __m256i *)(xq->q + offset));
        __m256i qhi = _mm256_loadu_si256((const __m256i *)(xq->q + offset + 16));
        return _mm256_dpwssd_avx_epi32(_mm256_dpwssd_avx_epi32(_mm256_setzero_si256(), wlo, qlo), whi, qhi);
    }
    case DOT_VNNI8: {
        __m256i x = _mm256_loadu_si256((const __m256i *)(xq->q8 + offset));
        if (type == SC_TYPE_Q8_0) x = _mm256_sign_epi8(x, whi);
        return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), wlo, x);
    }
#endif
    default: {   // DOT_MADDUBS8: pair sums ≤ 2·128·127 fit int16 without saturation
        __m256i x = _mm256_loadu_si256((const __m256i *)(xq->q8 + offset));
        if (type == SC_TYPE_Q8_0) x = _mm256_sign_epi8(x, whi);
        return _mm256_madd_epi16(_mm256_maddubs_epi16(wlo, x), _mm256_set1_epi16(1));
    }
    }
}

/// Blocks whose scales a quantised tile prepares at once (a multiple of 8).
#define SC_QCHUNK 64
/// Floats per (row, position) in a chunk's scale table: SC_QCHUNK, and a zero after the last block.
#define SC_SCALE_STRIDE (SC_QCHUNK + 1)

/// Prepares one chunk of nc ≤ SC_QCHUNK blocks from block c0 for rows [0, R) × positions [0, TT)
/// of a tile: scale[(i·TT + t)·SC_SCALE_STRIDE + k] = d_w·d_x of block c0 + k (then a 0), and the
/// offset term Σ off·s_x (off = −8·d_w for Q4_0, m for Q4_1, none for Q8_0) added to off[i·TT + t].
/// The weight scales of 8 blocks at a time are loaded into vectors (block_scales), so per position
/// the 8 products take one multiply and the offsets one FMA. `w` is the tile's first row; xd and
/// xs the first position's activation scales and block sums.
SC_TILE_ATTR static inline __attribute__((always_inline)) void
chunk_scales(int type, const char *w, size_t row_bytes, size_t block_bytes, const float *xd, const float *xs,
             int64_t nb_pad, int64_t c0, int nc, const int R, const int TT, float *scale, __m256 *off) {
    for (int b8 = 0; b8 < nc; b8 += 8) {
        const int n8 = nc - b8 < 8 ? nc - b8 : 8;
        for (int i = 0; i < R; i++) {
            __m256 dv, mv;
            block_scales(w + i * row_bytes + (size_t)(c0 + b8) * block_bytes, (int)block_bytes, n8, &dv, &mv);
            __m256 o = type == SC_TYPE_Q4_0 ? _mm256_mul_ps(dv, _mm256_set1_ps(-8.0f)) : mv;
            for (int t = 0; t < TT; t++) {
                _mm256_storeu_ps(scale + (i * TT + t) * SC_SCALE_STRIDE + b8, _mm256_mul_ps(dv, _mm256_loadu_ps(xd + t * nb_pad + c0 + b8)));
                if (type != SC_TYPE_Q8_0)
                    off[i * TT + t] = _mm256_fmadd_ps(o, _mm256_loadu_ps(xs + t * nb_pad + c0 + b8), off[i * TT + t]);
            }
        }
    }
    for (int i = 0; i < R * TT; i++) scale[i * SC_SCALE_STRIDE + nc] = 0.0f;
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a Q4_0 / Q4_1 / Q8_0 job; kind = SC_QKIND(type, dot).
/// Blocks are taken SC_QCHUNK at a time: first the chunk's scales and offset terms (chunk_scales),
/// then, in one tight loop over the chunk's blocks, each block costs one unpack per row and, per
/// position, an integer dot product (block_dot → 8 int32 lane sums), a conversion and one FMA.
/// Every (t, r) has its own accumulator fed in block order and reduced by hsum8, so results
/// never depend on the tile shape.
SC_TILE_ATTR static inline __attribute__((always_inline)) void
quant_tile256(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {
    const int type = kind / 4, dot = kind % 4;
    const sc_matmul_job *j = a->job;
    const int64_t nb = a->xq.nb, nb_pad = a->xq.nb_pad, cols = j->cols;
    const size_t block_bytes = sc_block_bytes(type);
    const size_t row_bytes = (size_t)nb * block_bytes;
    const char *w = (const char *)j->w + r * row_bytes;
    SC_TILE_ACCUMULATORS(__m256, acc);   // the offset terms go into the same accumulators
    float scale[R][TT][SC_SCALE_STRIDE];
    for (int64_t c0 = 0; c0 < nb; c0 += SC_QCHUNK) {
        const int nc = nb - c0 < SC_QCHUNK ? (int)(nb - c0) : SC_QCHUNK;
        chunk_scales(type, w, row_bytes, block_bytes, a->xq.d + t0 * nb_pad, a->xq.s + t0 * nb_pad, nb_pad, c0, nc, R, TT,
                     &scale[0][0][0], &acc[0][0]);
        for (int k = 0; k < nc; k++) {
            const int64_t b = c0 + k;
            __m256i wlo[R], whi[R];
            for (int i = 0; i < R; i++) unpack_block(type, dot, w + i * row_bytes + (size_t)b * block_bytes, &wlo[i], &whi[i]);
            for (int t = 0; t < TT; t++) {
                const int64_t offset = (t0 + t) * cols + b * SC_QK;
                for (int i = 0; i < R; i++) {
                    __m256 p = _mm256_cvtepi32_ps(block_dot(type, dot, wlo[i], whi[i], &a->xq, offset));
                    acc[i][t] = _mm256_fmadd_ps(_mm256_broadcast_ss(&scale[i][t][k]), p, acc[i][t]);
                }
            }
        }
    }
    for (int i = 0; i < R; i++)
        for (int t = 0; t < TT; t++) j->y[(t0 + t) * j->y_stride + r + i] = hsum8(acc[i][t]);
}

#endif
